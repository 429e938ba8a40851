// The `from` and `to` of every read route: ISO 8601, epoch milliseconds, `now`, or
// `now-<n><s|m|h|d|w>` (as Kibana and Grafana write them). Default: the last 15 minutes.
import { parseTimeExpression } from '../../common/time-expression';
import { BadRequestError } from '../errors';

export const DEFAULT_RANGE_MS = 15 * 60_000;

/**
 * The times a read may name. Stored times are int64 microseconds, and `now+99999999w` in
 * microseconds is past what int64 holds (the engine refused it as a 500); ISO 8601 writes four-digit
 * years, and no log line is older than the epoch.
 */
export const MIN_TIME_MS = 0;
export const MAX_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');
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
  const ms = parseTimeExpression(text, now);
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
