// The `from` and `to` of every read route: ISO 8601, epoch milliseconds, `now`, or
// date math on `now` (`now-15m`, `now-1M`, `now/d`; see common/time-expression.ts), counted in UTC.
// Default: the last 15 minutes.
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeExpression } from '../../common/time-expression';
import { BadRequestError } from '../errors';

export { MAX_TIME_MS, MIN_TIME_MS };

export const DEFAULT_RANGE_MS = 15 * 60_000;

const SUPPORTED = `${new Date(MIN_TIME_MS).toISOString()} to ${new Date(MAX_TIME_MS).toISOString()}`;

export interface TimeRange {
  /** Epoch milliseconds, inclusive. */
  from: number;
  /** Epoch milliseconds, exclusive. */
  to: number;
}

export class InvalidTimeError extends BadRequestError {
  constructor(parameter: 'from' | 'to', detail: string) {
    super(`${parameter}: ${detail}`, 'invalid_time');
  }
}

/** Parses one bound; `now` is passed in so a request reads one clock. */
export function parseTime(parameter: 'from' | 'to', text: string, now: number): number {
  const ms = parseTimeExpression(text, now, { roundUp: parameter === 'to' });
  if (ms !== undefined && !(ms >= MIN_TIME_MS && ms <= MAX_TIME_MS)) {
    throw new InvalidTimeError(parameter, `"${text.trim().slice(0, 64)}" is outside the supported times, ${SUPPORTED}`);
  }
  if (ms !== undefined) return ms;
  throw new InvalidTimeError(
    parameter,
    `expected an ISO 8601 time, epoch milliseconds, "now" or "now-15m"; got "${text.trim().slice(0, 64)}"`,
  );
}

/** The range of a request's `from` and `to`; a reversed or empty range is a 400. */
export function parseTimeRange(from: string | null | undefined, to: string | null | undefined, now = Date.now()): TimeRange {
  const end = to?.trim() ? parseTime('to', to, now) : now;
  const start = from?.trim() ? parseTime('from', from, now) : end - DEFAULT_RANGE_MS;
  if (start >= end) {
    throw new BadRequestError(
      `from (${new Date(start).toISOString()}) must be before to (${new Date(end).toISOString()})`,
      'invalid_time_range',
    );
  }
  return { from: start, to: end };
}
