import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ERROR_STATUS, type ErrorBody } from '../../shared/api/errors.ts';
import { ApiError } from '../errors.ts';
import { errorFields, type Logger } from '../log.ts';

/** The one place errors become `{ error: { code, message } }`. Unexpected errors are logged, not shown. */
export function createErrorHandler(logger: Logger) {
  return (error: Error, c: Context): Response => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') logger.error('request_failed', { path: c.req.path, ...errorFields(error) });
    const body: ErrorBody = { error: { code: apiError.code, message: apiError.message } };
    return c.json(body, ERROR_STATUS[apiError.code]);
  };
}

function toApiError(error: Error): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException && error.status === 413) {
    return new ApiError('payload_too_large', 'The request is too large.');
  }
  return new ApiError('internal', 'Something went wrong on our side. Please try again.');
}

/** Unknown `/api` paths answer in the same shape as every other error. */
export function notFound(c: Context): Response {
  const body: ErrorBody = { error: { code: 'not_found', message: 'There is nothing at this address.' } };
  return c.json(body, 404);
}
