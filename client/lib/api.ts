import type { z } from 'zod';
import { ErrorBody, type ErrorCode } from '../../shared/api/errors.ts';
import {
  CreateMeetingResponse,
  GetMeetingResponse,
  JoinMeetingResponse,
  type CreateMeetingRequest,
  type JoinMeetingRequest,
} from '../../shared/api/meetings.ts';

/** A failed API call, with the server's code and its plain-language message (safe to show as is). */
export class ApiCallError extends Error {
  readonly code: ErrorCode | 'network';

  constructor(code: ErrorCode | 'network', message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

/** The typed API client: one function per route, answers checked against the shared schemas. */
export const api = {
  createMeeting: (body: CreateMeetingRequest) => call('POST', '/api/meetings', CreateMeetingResponse, body),
  getMeeting: (id: string) => call('GET', `/api/meetings/${encodeURIComponent(id)}`, GetMeetingResponse),
  joinMeeting: (id: string, body: JoinMeetingRequest) =>
    call('POST', `/api/meetings/${encodeURIComponent(id)}/join`, JoinMeetingResponse, body),
};

async function call<S extends z.ZodType>(method: string, path: string, schema: S, body?: unknown): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiCallError('network', 'We could not reach Polyphony. Please check your internet connection and try again.');
  }
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = ErrorBody.safeParse(json);
    if (parsed.success) throw new ApiCallError(parsed.data.error.code, parsed.data.error.message);
    throw new ApiCallError('internal', 'Something went wrong. Please try again.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiCallError('internal', 'Polyphony sent an answer we did not understand. Please reload the page.');
  return parsed.data;
}
