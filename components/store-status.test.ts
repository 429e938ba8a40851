import { describe, expect, it } from 'vitest';
import { newestText, sendersText } from './store-status';

describe('newestText', () => {
  const now = Date.parse('2026-12-07T06:30:00Z');

  it('gives the time of day in the chosen zone when the newest line is of today there', () => {
    expect(newestText(Date.parse('2026-12-07T06:08:31Z'), 'UTC', now)).toBe('06:08:31');
    expect(newestText(Date.parse('2026-12-07T06:08:31Z'), 'Asia/Tokyo', now)).toBe('15:08:31');
  });

  it('adds the date when the newest line is of another day, so an old store does not look live', () => {
    expect(newestText(Date.parse('2026-12-04T10:32:11Z'), 'UTC', now)).toBe('2026-12-04 10:32:11');
    // Yesterday in UTC, but today in Los Angeles, where it is still the 6th.
    expect(newestText(Date.parse('2026-12-06T23:00:00Z'), 'UTC', now)).toBe('2026-12-06 23:00:00');
    expect(newestText(Date.parse('2026-12-06T23:00:00Z'), 'America/Los_Angeles', now)).toBe('15:00:00');
  });
});

describe('sendersText', () => {
  const now = Date.parse('2026-12-07T06:30:00Z');
  const sender = (node: string, lastSeen: string, via: 'collector' | 'otlp' | 'loki' = 'collector') => ({ id: node, via, node, version: null, lastSeen, batches: 1, entries: 1 });

  it('counts collectors and shippers, and says none has sent only when none has', () => {
    expect(sendersText([sender('a', '2026-12-07T06:29:58Z'), sender('b', '2026-12-07T06:29:00Z'), sender('c', '2026-12-07T06:29:30Z', 'loki')], 'UTC', now)).toEqual({ text: '2 collectors · 1 shipper', quiet: null });
    expect(sendersText([], 'UTC', now, 10).text).toBe('no collector has sent since the server started');
    expect(sendersText([], 'UTC', now, 0).text).toBe('no collector yet');
  });

  it('tells apart the senders that have gone quiet, naming each with its last batch', () => {
    const seen = sendersText([sender('node-a', '2026-12-07T06:29:58Z'), sender('node-b', '2026-12-07T06:20:00Z'), sender('node-c', '2026-12-07T05:02:03Z')], 'Asia/Tokyo', now);
    expect(seen.text).toBe('3 collectors, 2 quiet');
    expect(seen.quiet).toBe('Nothing received for 5 minutes or more from: node-b (collector), last at 15:20:00; node-c (collector), last at 14:02:03. A node whose containers write nothing sends nothing, so quiet is not always stopped.');
  });
});
