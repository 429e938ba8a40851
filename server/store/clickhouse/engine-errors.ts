// ClickHouse errors as the routes answer them, at the engine's edge: an engine that cannot be
// reached is a 503 the collector retries and the page explains; a value of a request the engine
// refuses (a regex RE2 will not compile, a number past its type) a 400. Other engine errors come
// from our own SQL and stay errors (500).
import { BadRequestError, LogpondError, StorageUnavailableError } from '../../errors';

/** Socket errors of an HTTP connection to a server that is down, restarting or unreachable. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET']);
/** ClickHouse error codes a request's values cause (CANNOT_COMPILE_REGEXP, ARGUMENT_OUT_OF_BOUND, …). */
const INPUT_CODES = new Set(['427', '69', '70', '321', '407']);
/** The server refuses work it is too busy or too short of resources for now (TOO_MANY_SIMULTANEOUS_QUERIES, MEMORY_LIMIT_EXCEEDED, TOO_MANY_PARTS). */
const BUSY_CODES = new Set(['202', '241', '252']);
const MAX_DETAIL_CHARS = 200;

export function asRequestError(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof LogpondError || (err as { status?: unknown }).status !== undefined) return err;
  const code = String((err as { code?: unknown }).code ?? '');
  if (UNREACHABLE.has(code) || /socket hang up|ECONNREFUSED|connect ECONN/i.test(err.message) || UNREACHABLE.has(String((err.cause as { code?: unknown })?.code ?? ''))) {
    return new StorageUnavailableError('ClickHouse cannot be reached; retry later');
  }
  if (BUSY_CODES.has(code)) return new StorageUnavailableError('ClickHouse is too busy for this request; retry later');
  if (INPUT_CODES.has(code)) {
    console.warn(`logpond: ClickHouse refused a request's input: ${err.message.split('\n')[0]}`);
    return new BadRequestError(`the store cannot run this request: ${err.message.split('\n')[0].slice(0, MAX_DETAIL_CHARS)}`, 'invalid_input');
  }
  return err;
}
