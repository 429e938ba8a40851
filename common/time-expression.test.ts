// Date math as Kibana and Grafana users type it into a range.
import { describe, expect, it } from 'vitest';
import { parseTimeExpression } from './time-expression';

const NOW = Date.parse('2026-03-15T05:30:12.345Z'); // a Sunday; 14:30 in Tokyo
const at = (text: string, options = {}) => {
  const ms = parseTimeExpression(text, NOW, options);
  return ms === undefined ? undefined : new Date(ms).toISOString();
};

describe('parseTimeExpression', () => {
  it('reads fixed units, m for minutes and M for months, and y for years', () => {
    expect(at('now')).toBe('2026-03-15T05:30:12.345Z');
    expect(at('now-15m')).toBe('2026-03-15T05:15:12.345Z');
    expect(at('NOW-2h')).toBe('2026-03-15T03:30:12.345Z');
    expect(at('now+1w')).toBe('2026-03-22T05:30:12.345Z');
    expect(at('now-1M')).toBe('2026-02-15T05:30:12.345Z');
    expect(at('now-1y')).toBe('2025-03-15T05:30:12.345Z');
    expect(at('now-14M')).toBe('2025-01-15T05:30:12.345Z');
  });

  it('ends a month on from the 31st on the last day of the next, as Kibana does', () => {
    expect(parseTimeExpression('now+1M', Date.parse('2026-01-31T10:00:00Z'))).toBe(Date.parse('2026-02-28T10:00:00Z'));
  });

  it('rounds to the start of a unit, or for a range end to the start of the next', () => {
    expect(at('now/d')).toBe('2026-03-15T00:00:00.000Z');
    expect(at('now/d', { roundUp: true })).toBe('2026-03-16T00:00:00.000Z');
    expect(at('now/h')).toBe('2026-03-15T05:00:00.000Z');
    expect(at('now/w')).toBe('2026-03-09T00:00:00.000Z'); // Monday
    expect(at('now/M')).toBe('2026-03-01T00:00:00.000Z');
    expect(at('now/y', { roundUp: true })).toBe('2027-01-01T00:00:00.000Z');
    expect(at('now-1d/d')).toBe('2026-03-14T00:00:00.000Z');
    expect(at('now/d+8h')).toBe('2026-03-15T08:00:00.000Z');
  });

  it('counts days and months in the zone it is given', () => {
    expect(at('now/d', { timeZone: 'Asia/Tokyo' })).toBe('2026-03-14T15:00:00.000Z');
    // New York moved to summer time on 2026-03-08: that day had 23 hours.
    const dst = Date.parse('2026-03-08T18:00:00Z');
    expect(new Date(parseTimeExpression('now/d', dst, { timeZone: 'America/New_York' })!).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(new Date(parseTimeExpression('now/d', dst, { timeZone: 'America/New_York', roundUp: true })!).toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });

  it('rounds right across a change of the clock: a day that starts at 01:00, an hour that comes twice', () => {
    // Cairo skips from 00:00 to 01:00 on 2026-04-24: that day starts at 01:00, the next at 00:00.
    const cairo = Date.parse('2026-04-24T10:00:00Z');
    expect(new Date(parseTimeExpression('now/d', cairo, { timeZone: 'Africa/Cairo', roundUp: true })!).toISOString()).toBe('2026-04-24T21:00:00.000Z');
    // New York's 01:00-02:00 comes twice on 2026-11-01; 06:30Z is 01:30 the second time (EST).
    const repeated = Date.parse('2026-11-01T06:30:00Z');
    expect(new Date(parseTimeExpression('now/h', repeated, { timeZone: 'America/New_York' })!).toISOString()).toBe('2026-11-01T06:00:00.000Z');
    expect(new Date(parseTimeExpression('now/m', repeated + 42_000, { timeZone: 'America/New_York', roundUp: true })!).toISOString()).toBe('2026-11-01T06:31:00.000Z');
  });

  it('refuses what is not date math, and what no date holds', () => {
    for (const text of ['now-', 'now-1', 'now-1x', 'now/q', 'now-1.5h', 'now 1h', 'nowish', 'now-1h-1h-1h-1h-1h-1h-1h-1h-1h', ]) {
      expect(at(text), text).toBeUndefined();
    }
  });

  it('answers a time out of every range, not an unreadable one, for date math past what a date holds', () => {
    expect(parseTimeExpression('now-999999999y', NOW)).toBe(-Infinity);
    expect(parseTimeExpression('now+99999999w', NOW)).toBe(Infinity);
    expect(parseTimeExpression('now-999999999w/d', NOW)).toBeLessThan(-8.64e15);
  });

  it('still reads epoch milliseconds and ISO 8601', () => {
    expect(at('1773552612345')).toBe('2026-03-15T05:30:12.345Z');
    expect(at('2026-03-15T05:30:00')).toBe('2026-03-15T05:30:00.000Z');
    expect(at('2026-03-15T14:30:00+09:00')).toBe('2026-03-15T05:30:00.000Z');
  });
});
