import { describe, expect, it } from 'vitest';
import { CRI_MAX_LINE_BYTES, criTimestamp, formatCri, parseCriTimestamp } from './cri-format';

const T = Date.UTC(2026, 10, 25, 12, 0, 0, 123);
const CRI_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([PF]) (.*)$/;

/** Reads CRI text back the way a collector must: partial lines joined until the full one. */
function readCri(text: string): Array<{ time: string; stream: string; text: string; lines: number }> {
  expect(text.endsWith('\n')).toBe(true);
  const entries: Array<{ time: string; stream: string; text: string; lines: number }> = [];
  let pending: { time: string; stream: string; text: string; lines: number } | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const m = CRI_LINE.exec(line);
    expect(m, line.slice(0, 80)).not.toBeNull();
    const [, time, stream, tag, content] = m!;
    pending = pending ? { ...pending, text: pending.text + content, lines: pending.lines + 1 } : { time, stream, text: content, lines: 1 };
    if (tag === 'F') {
      entries.push(pending);
      pending = undefined;
    }
  }
  expect(pending).toBeUndefined();
  return entries;
}

describe('criTimestamp', () => {
  it('writes nine fraction digits in UTC, as containerd does', () => {
    expect(criTimestamp(T, 456_789)).toBe('2026-11-25T12:00:00.123456789Z');
    expect(criTimestamp(T)).toBe('2026-11-25T12:00:00.123000000Z');
    expect(criTimestamp(Date.UTC(2026, 0, 1), 1)).toBe('2026-01-01T00:00:00.000000001Z');
  });

  it('parses back what it wrote, and the shorter forms other runtimes write', () => {
    expect(parseCriTimestamp('2026-11-25T12:00:00.123456789Z')).toEqual({ ts: T, nanos: 456_789 });
    expect(parseCriTimestamp('2026-11-25T13:00:00.5+01:00')).toEqual({ ts: Date.UTC(2026, 10, 25, 12, 0, 0, 500), nanos: 0 });
    expect(parseCriTimestamp('2026-11-25T12:00:00Z')).toEqual({ ts: Date.UTC(2026, 10, 25, 12), nanos: 0 });
    expect(parseCriTimestamp('yesterday')).toBeUndefined();
  });
});

describe('formatCri', () => {
  it('writes a short line as one full line', () => {
    expect(formatCri({ ts: T, nanos: 456_789, stream: 'stderr', text: 'level=info msg="hello"' })).toBe(
      '2026-11-25T12:00:00.123456789Z stderr F level=info msg="hello"\n',
    );
  });

  it('keeps an empty line', () => {
    expect(readCri(formatCri({ ts: T, stream: 'stdout', text: '' }))).toEqual([{ time: '2026-11-25T12:00:00.123000000Z', stream: 'stdout', text: '', lines: 1 }]);
  });

  it.each([
    { bytes: CRI_MAX_LINE_BYTES, lines: 1 },
    { bytes: CRI_MAX_LINE_BYTES + 1, lines: 2 },
    { bytes: 2 * CRI_MAX_LINE_BYTES, lines: 2 },
    { bytes: 40_000, lines: 3 },
  ])('splits $bytes bytes of text into $lines lines that join back', ({ bytes, lines }) => {
    const text = 'abcdefghij'.repeat(Math.ceil(bytes / 10)).slice(0, bytes);
    const out = formatCri({ ts: T, nanos: 1, stream: 'stdout', text });
    const physical = out.slice(0, -1).split('\n');
    expect(physical).toHaveLength(lines);
    expect(physical.slice(0, -1).every((l) => CRI_LINE.exec(l)![3] === 'P' && CRI_LINE.exec(l)![4].length === CRI_MAX_LINE_BYTES)).toBe(true);
    expect(readCri(out)).toEqual([{ time: '2026-11-25T12:00:00.123000001Z', stream: 'stdout', text, lines }]);
  });

  it('never cuts a multi-byte character in two', () => {
    // 'é' is two bytes and '€' three, so the 16 KiB boundary falls inside a character.
    const text = 'é€'.repeat(5000);
    const out = formatCri({ ts: T, stream: 'stdout', text });
    for (const line of out.slice(0, -1).split('\n')) {
      const content = CRI_LINE.exec(line)![4];
      expect(Buffer.byteLength(content)).toBeLessThanOrEqual(CRI_MAX_LINE_BYTES);
      expect(content).not.toContain('\uFFFD');
    }
    expect(readCri(out)[0].text).toBe(text);
  });
});
