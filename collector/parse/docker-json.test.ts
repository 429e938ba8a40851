import { describe, expect, it } from 'vitest';
import { LogParser } from './log-parser';

const NOW = new Date('2026-03-04T05:06:07.890Z');
const T1 = '2026-01-02T03:04:05.123456789Z';
const T2 = '2026-01-02T03:04:06.5Z';

const record = (log: string, stream: string, time: string) => `${JSON.stringify({ log, stream, time })}\n`;

function parseAll(text: string, maxLine = 1024) {
  const parser = new LogParser(maxLine);
  return { parser, entries: parser.push(Buffer.from(text), 0, NOW).entries };
}

describe('Docker json-file lines', () => {
  it('reads records with their time and stream, without the trailing newline', () => {
    const a = record('hello\n', 'stdout', T1);
    const { parser, entries } = parseAll(a + record('caf\u00e9\tok\n', 'stderr', T2));
    expect(parser.format).toBe('docker');
    expect(entries.map(({ offset, ts, stream, message }) => ({ offset, ts, stream, message }))).toEqual([
      { offset: 0, ts: T1, stream: 'stdout', message: 'hello' },
      { offset: a.length, ts: T2, stream: 'stderr', message: 'café\tok' },
    ]);
  });

  it('continues a record without a trailing newline in the next record of its stream', () => {
    const a = record('first part, ', 'stdout', T1);
    const b = record('an error\n', 'stderr', T2);
    const c = record('second part\n', 'stdout', T2);
    const { entries } = parseAll(a + b + c);
    expect(entries.map(({ offset, ts, message }) => ({ offset, ts, message }))).toEqual([
      { offset: 0, ts: T1, message: 'first part, second part' },
      { offset: a.length, ts: T2, message: 'an error' },
    ]);
  });

  it('cuts a record longer than the max line and still reads its stream and time', () => {
    const long = `${'x"y\\'.repeat(2000)}\n`;
    const { entries } = parseAll(record(long, 'stderr', T2) + record('next\n', 'stdout', T1));
    expect(entries[0]).toMatchObject({ stream: 'stderr', ts: T2, truncated: true });
    expect(entries[0].message.startsWith('x"y\\x"y\\')).toBe(true);
    expect(Buffer.byteLength(entries[0].message)).toBeLessThanOrEqual(1024);
    expect(entries[1]).toMatchObject({ message: 'next', truncated: false });
  });

  it('uses the read time for a record with a bad time', () => {
    const { entries } = parseAll(record('x\n', 'stdout', 'yesterday'));
    expect(entries[0].ts).toBe(NOW.toISOString());
  });
});
