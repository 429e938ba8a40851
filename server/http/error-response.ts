// The one place errors become HTTP answers. Known errors carry their status and code (an engine
// turns its refusals of a request's values into 400s itself, e.g. store/duckdb/engine-errors.ts);
// anything else is a bug, answered 500 with a generic message so internals never leak into a body.
import { isLogpondError } from '../errors';

export interface ErrorBody {
  error: { code: string; message: string; position?: number };
}

export interface ErrorAnswer {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/**
 * What an error is answered with, in a response or in the last line of a stream already begun
 * (an export's NDJSON, a tail's event): the same words either way, never an internal message.
 */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (isLogpondError(err)) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    const position = (err as { position?: unknown }).position;
    if (typeof position === 'number') body.error.position = position;
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    return { status: err.status, body, headers: typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined };
  }
  console.error('logpond: unexpected error', err);
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

export function toErrorResponse(err: unknown): Response {
  const { status, body, headers } = errorAnswer(err);
  return Response.json(body, { status, headers });
}
