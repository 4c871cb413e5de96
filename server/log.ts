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

type Level = 'info' | 'warn' | 'error';

/** A logger writing to `write` (stderr by default). `LOG_LEVEL=silent` turns it off, for tests. */
export function createLogger(base: LogFields = {}, write: (line: string) => void = defaultWrite): Logger {
  const emit = (level: Level, event: string, fields?: LogFields): void => {
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...base, ...fields }));
  };
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
    child: (fields) => createLogger({ ...base, ...fields }, write),
  };
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
