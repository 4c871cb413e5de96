import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from '../errors.ts';

/**
 * Reads the JSON body and checks it against `schema`. A body that is not JSON, or does not fit, is a
 * `bad_request` naming the first problem in plain words. (Its size was capped before, by bodyLimit.)
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    const text = await c.req.text();
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'The request body is not valid JSON.');
  }
  return check(schema, body);
}

/** Checks a path parameter or query value against `schema`; a mismatch is `bad_request`. */
export function check<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ApiError('bad_request', `${where}${issue?.message ?? 'invalid input'}`);
}
