// How a read ends early, whatever the engine: every engine stops its reads with these, so the
// routes answer alike (504 past LOGPOND_QUERY_TIMEOUT, 499 when the client left).
import { LogpondError } from '../errors';

export class QueryTimeoutError extends LogpondError {
  constructor(timeoutMs: number) {
    super(504, 'query_timeout', `the query ran longer than ${timeoutMs / 1000} s (LOGPOND_QUERY_TIMEOUT) and was stopped; narrow the time range or the query`);
  }
}

/** The client went away; nobody reads the answer. */
export class QueryCancelledError extends LogpondError {
  constructor() {
    super(499, 'query_cancelled', 'the request was cancelled');
  }
}
