import type { ErrorCode } from '../shared/api/errors.ts';

/**
 * The one exception type services throw for an expected failure. The app's error handler turns it into
 * `{ error: { code, message } }` with the status for `code`; `message` is plain language a person can read.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}
