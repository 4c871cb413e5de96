/**
 * Structured JSON logs, one object per line on stderr. Fields are for ids, counts and codes only:
 * never note text, names, tokens or tickets (health data; see DESIGN.md).
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (e.g. a connection id). */
  child(fields: LogFields): Logger;
}

export type LogLevel = 'info' | 'warn' | 'error';

/** A logger writing to `write` (stderr by default). `LOG_LEVEL=silent` turns it off, for tests. */
export function createLogger(base: LogFields = {}, write: (line: string) => void = defaultWrite): Logger {
  return new JsonLogger(base, write);
}

/**
 * A class so that a child logger (one per loaded document, for instance) is one small object: its
 * methods are shared on the prototype rather than made anew, with their scope, for every child.
 */
class JsonLogger implements Logger {
  readonly #base: LogFields;
  readonly #write: (line: string) => void;

  constructor(base: LogFields, write: (line: string) => void) {
    this.#base = base;
    this.#write = write;
  }

  info(event: string, fields?: LogFields): void {
    this.#emit('info', event, fields);
  }

  warn(event: string, fields?: LogFields): void {
    this.#emit('warn', event, fields);
  }

  error(event: string, fields?: LogFields): void {
    this.#emit('error', event, fields);
  }

  child(fields: LogFields): Logger {
    return new JsonLogger({ ...this.#base, ...fields }, this.#write);
  }

  #emit(level: LogLevel, event: string, fields: LogFields | undefined): void {
    this.#write(JSON.stringify({ time: new Date().toISOString(), level, event, ...this.#base, ...fields }));
  }
}

function defaultWrite(line: string): void {
  if (process.env['LOG_LEVEL'] === 'silent') return;
  process.stderr.write(`${line}\n`);
}

/** The error's class and message for a log line; stack only for unexpected errors, never payloads. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { errorName: error.name, errorMessage: error.message };
  return { errorName: typeof error };
}
