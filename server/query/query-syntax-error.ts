import { LogpondError } from '../errors';

/** A query the parser cannot read. `position` is a 0-based offset into the query text. */
export class QuerySyntaxError extends LogpondError {
  constructor(
    message: string,
    readonly position: number,
    readonly expected: string[],
    /** The text found at `position`, or 'end of query'. */
    readonly found: string,
  ) {
    super(400, 'query_syntax', message);
  }
}
