// The `from` and `to` of every read route: ISO 8601, epoch milliseconds, `now`, or
// `now-<n><s|m|h|d|w>` (as Kibana and Grafana write them). Default: the last 15 minutes.
import { BadRequestError } from '../errors';

export const DEFAULT_RANGE_MS = 15 * 60_000;

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdw]))?$/;
const EPOCH_MS = /^\d{1,15}$/;
// A date, optionally a time with fraction and zone: what Date.parse reads consistently.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

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
  const value = text.trim();
  const relative = RELATIVE.exec(value.toLowerCase());
  if (relative) {
    const [, sign, amount, unit] = relative;
    if (!sign) return now;
    const offset = Number(amount) * UNIT_MS[unit];
    return sign === '-' ? now - offset : now + offset;
  }
  if (EPOCH_MS.test(value)) return Number(value);
  if (ISO.test(value)) {
    // Without a zone an ISO time is UTC here: the server's zone must not change what a link means.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':') ? value : `${value}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new InvalidTimeError(
    parameter,
    `expected an ISO 8601 time, epoch milliseconds, "now" or "now-15m"; got "${value.slice(0, 64)}"`,
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
