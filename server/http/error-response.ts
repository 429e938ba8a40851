// The one place errors become HTTP answers. Known errors carry their status and code (an engine
// turns its refusals of a request's values into 400s itself, e.g. store/duckdb/engine-errors.ts);
// anything else is a bug, answered 500 with a generic message so internals never leak into a body.
import { isLogpondError } from '../errors';

export interface ErrorBody {
  error: { code: string; message: string; position?: number };
}

export function toErrorResponse(err: unknown): Response {
  if (isLogpondError(err)) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    const position = (err as { position?: unknown }).position;
    if (typeof position === 'number') body.error.position = position;
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    const headers = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined;
    return Response.json(body, { status: err.status, headers });
  }
  console.error('logpond: unexpected error', err);
  return Response.json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody, {
    status: 500,
  });
}
