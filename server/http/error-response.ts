// The one place errors become HTTP answers. Known errors carry their status and code; refusals
// of the engine that a request's values can cause are 400s; anything else is a bug, answered 500
// with a generic message so internals never leak into a body.
import { isLogpondError } from '../errors';

export interface ErrorBody {
  error: { code: string; message: string; position?: number };
}

/**
 * DuckDB errors a value can cause: a regex RE2 will not compile, a number or time past its type.
 * The parser refuses the ones known (query/regex-check.ts, query/limits.ts); this catches what it
 * misses. Binder, catalog, parser and internal errors come from our own SQL and stay 500s.
 */
const ENGINE_INPUT_ERROR = /^(?:Invalid Input|Conversion|Out of Range) Error: ([^\n]*)/;
/** The DuckDB binding's own refusal of a JavaScript number it cannot bind. */
const BINDING_RANGE_ERROR = /^(?:bigint|number) out of \w+ range/;
const MAX_DETAIL_CHARS = 200;

export function toErrorResponse(err: unknown): Response {
  if (isLogpondError(err)) {
    const body: ErrorBody = { error: { code: err.code, message: err.message } };
    const position = (err as { position?: unknown }).position;
    if (typeof position === 'number') body.error.position = position;
    const retryAfter = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    const headers = typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : undefined;
    return Response.json(body, { status: err.status, headers });
  }
  const refused = engineRefusal(err);
  if (refused) {
    console.warn(`logpond: the engine refused a request's input: ${(err as Error).message.split('\n')[0]}`);
    return Response.json({ error: { code: 'invalid_input', message: refused } } satisfies ErrorBody, { status: 400 });
  }
  console.error('logpond: unexpected error', err);
  return Response.json({ error: { code: 'internal', message: 'internal error' } } satisfies ErrorBody, {
    status: 500,
  });
}

/** The 400 message for an engine error a request's values caused, or null. */
function engineRefusal(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  const engine = ENGINE_INPUT_ERROR.exec(err.message);
  if (engine) return `the store cannot run this request: ${engine[1].slice(0, MAX_DETAIL_CHARS)}`;
  if (BINDING_RANGE_ERROR.test(err.message)) return 'the store cannot run this request: a number in it is out of range';
  return null;
}
