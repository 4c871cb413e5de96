import { z } from 'zod';

/**
 * Every error code the server may answer with. Clients switch on these, never on message text.
 * Adding a code is backwards compatible; renaming one is not.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'conflict',
  'internal',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each code, so the server maps them in one place. */
export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  conflict: 409,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The body of every non-2xx JSON answer: `{ error: { code, message } }`. `message` is plain language. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string(),
  }),
});
/** Parsed {@link ErrorBody}. */
export type ErrorBody = z.infer<typeof ErrorBody>;
