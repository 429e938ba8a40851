import { describe, expect, it } from 'vitest';
import { batch, lines } from '../testing/batches';
import { validateBatch } from './validate-batch';

const RECEIVED_MS = Date.parse('2026-12-05T12:00:00Z');
const good = () => batch(lines({ source: 'api', count: 3, startMs: Date.parse('2026-11-25T12:00:00Z') }));

describe('validateBatch', () => {
  it('accepts a well-formed batch and parses timestamps to microseconds', () => {
    const body = good();
    body.entries[0].ts = '2026-11-25T12:00:00.123456789Z';
    const valid = validateBatch(body);
    expect(valid.entries.length).toBe(3);
    expect(valid.entries.ts[0]).toBe(Date.parse('2026-11-25T12:00:00Z') * 1000 + 123456);
    expect(valid.entries.truncated[0]).toBe(0);
  });

  it('takes a source named by its index in sources as that source', () => {
    const body = good();
    body.entries[1].source = 0;
    const valid = validateBatch(body);
    expect([...valid.entries.source].map((i) => valid.sources[i].key)).toEqual(['api', 'api', 'api']);
  });

  it('keeps the offsets of equally named files of two sources apart', () => {
    const body = batch([
      ...lines({ source: 'api', count: 2, startMs: RECEIVED_MS, firstOffset: 500 }),
      ...lines({ source: 'web', count: 2, startMs: RECEIVED_MS, firstOffset: 100 }),
    ]);
    const valid = validateBatch(body);
    expect([...valid.entries.offset]).toEqual([500, 600, 100, 200]);
    expect(valid.entries.files).toEqual(['1:100']);
  });

  // A wrong clock must neither lose lines (the collector drops a refused batch whole) nor make
  // them the store's oldest or newest: they are stored at the time received, flagged.
  it.each([
    ['9999-12-31T23:59:59.999999999Z', 'stored at the time received'],
    ['0000-01-01T00:00:00Z', 'stored at the time received'],
    ['1969-12-31T23:59:59.5Z', 'stored at the time received'],
    ['1970-01-01T00:00:00Z', 'stored at the time received'],
    ['1999-12-31T23:59:59.999999Z', 'stored at the time received'],
    ['2026-12-06T12:00:00.000001Z', 'stored at the time received'], // a day and a microsecond ahead
    ['2000-01-01T00:00:00Z', 'stored as given'],
    ['2026-12-06T12:00:00Z', 'stored as given'], // exactly a day ahead
    ['2026-12-05T13:00:00+01:00', 'stored as given'],
  ])('an entry stamped %s is %s', (ts, outcome) => {
    const body = good();
    body.entries[1].ts = ts;
    const valid = validateBatch(body, RECEIVED_MS);
    expect(valid.entries.length).toBe(3);
    if (outcome === 'stored as given') {
      expect(valid.entries.ts[1]).toBe(Date.parse(ts) * 1000);
      expect(valid.entries.tsOriginal.size).toBe(0);
    } else {
      expect(valid.entries.ts[1]).toBe(RECEIVED_MS * 1000);
      expect([...valid.entries.tsOriginal]).toEqual([[1, ts]]);
    }
    expect(valid.entries.ts[0]).toBe(Date.parse('2026-11-25T12:00:00Z') * 1000);
  });

  const refusals: [string, (b: ReturnType<typeof good>) => unknown, string][] = [
    ['a missing collector', (b) => ({ ...b, collector: undefined }), 'collector: Invalid input: expected object, received undefined'],
    ['a negative offset', (b) => ((b.entries[1].offset = -5), b), 'entries[1].offset: expected a non-negative integer'],
    ['an unknown stream', (b) => ((b.entries[2] as { stream: string }).stream = 'stdin', b), 'entries[2].stream: expected "stdout" or "stderr"'],
    ['a bad timestamp', (b) => ((b.entries[1].ts = 'yesterday'), b), 'entries[1].ts: expected an RFC 3339 timestamp, got "yesterday"'],
    ['an unlisted source', (b) => ((b.entries[0].source = 'ghost'), b), 'entries[0].source: "ghost" is not listed in sources'],
    ['a source index past the list', (b) => ((b.entries[0].source = 1), b), 'entries[0].source: 1 is not the index of one of the 1 sources'],
    ['a fractional source index', (b) => ((b.entries[0].source = 0.5), b), 'entries[0].source: 0.5 is not the index of one of the 1 sources'],
    ['a source that is neither key nor index', (b) => ((b.entries[0] as { source: unknown }).source = null, b), 'entries[0].source: expected a source key or its index in sources'],
    ['a source listed twice', (b) => ({ ...b, sources: [b.sources[0], b.sources[0]] }), 'sources[1].key: "api" is listed twice'],
    ['offsets going backwards in one file', (b) => ((b.entries[2].offset = 50), b), 'entries[2].offset: 50 does not follow 100: offsets of one file must increase within a batch'],
    ['an entry that is not an object', (b) => ({ ...b, entries: [b.entries[0], 'line'] }), 'entries[1]: expected an object'],
    ['a body that is not an object', () => [1, 2], '(body): Invalid input: expected object, received array'],
  ];
  it.each(refusals)('refuses %s, naming the first bad path', (_, mutate, message) => {
    expect(() => validateBatch(mutate(good()))).toThrow(message);
  });
});
