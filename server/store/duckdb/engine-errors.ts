// DuckDB errors a request's values can cause — a regex RE2 will not compile, a number or time past
// its type — become 400s here, at the engine's edge, so the HTTP layer knows no engine's messages.
// The parser refuses the ones known (query/regex-check.ts, query/limits.ts); this catches what it
// misses. Binder, catalog, parser and internal errors come from our own SQL and stay errors (500).
import { BadRequestError } from '../../errors';

const ENGINE_INPUT_ERROR = /^(?:Invalid Input|Conversion|Out of Range) Error: ([^\n]*)/;
/** The DuckDB binding's own refusal of a JavaScript number it cannot bind. */
const BINDING_RANGE_ERROR = /^(?:bigint|number) out of \w+ range/;
const MAX_DETAIL_CHARS = 200;

/** `err` as the 400 it is when a request's values caused it, else `err` itself. */
export function asRequestError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const engine = ENGINE_INPUT_ERROR.exec(err.message);
  const message = engine
    ? `the store cannot run this request: ${engine[1].slice(0, MAX_DETAIL_CHARS)}`
    : BINDING_RANGE_ERROR.test(err.message)
      ? 'the store cannot run this request: a number in it is out of range'
      : null;
  if (!message) return err;
  console.warn(`logpond: the engine refused a request's input: ${err.message.split('\n')[0]}`);
  return new BadRequestError(message, 'invalid_input');
}
