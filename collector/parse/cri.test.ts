import { describe, expect, it } from 'vitest';
import { LogParser } from './log-parser';

const NOW = new Date('2026-03-04T05:06:07.890Z');
const TS = '2026-01-02T03:04:05.123456789Z';
const TS2 = '2026-01-02T03:04:06.000000001Z';

function parseAll(text: string | Buffer, maxLine = 1024, chunkBytes = Infinity) {
  const parser = new LogParser(maxLine);
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const entries = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const chunk = bytes.subarray(at, Math.min(bytes.length, at + chunkBytes));
    entries.push(...parser.push(chunk, at, NOW).entries);
  }
  return { parser, entries };
}

describe('CRI lines', () => {
  it('reads full lines with their timestamp, stream, offset and the resume point after them', () => {
    const a = `${TS} stdout F hello world\n`;
    const b = `${TS2} stderr F oops\n`;
    const { parser, entries } = parseAll(a + b);
    expect(parser.format).toBe('cri');
    expect(entries).toEqual([
      { offset: 0, resume: a.length, ts: TS, stream: 'stdout', message: 'hello world', truncated: false },
      { offset: a.length, resume: a.length + b.length, ts: TS2, stream: 'stderr', message: 'oops', truncated: false },
    ]);
  });

  it('accepts an empty message with or without the space after the tag', () => {
    const { entries } = parseAll(`${TS} stdout F\n${TS} stdout F \n`);
    expect(entries.map((e) => e.message)).toEqual(['', '']);
  });

  it('merges P chunks up to the F one into one entry at the first chunk offset and timestamp', () => {
    const p1 = `${TS} stdout P first `;
    const p2 = `${TS2} stdout P second `;
    const f = `${TS2} stdout F third`;
    const text = `${p1}\n${p2}\n${f}\n${TS2} stdout F next\n`;
    const { entries } = parseAll(text, 1024, 7);
    expect(entries.map(({ offset, ts, message }) => ({ offset, ts, message }))).toEqual([
      { offset: 0, ts: TS, message: 'first second third' },
      { offset: p1.length + p2.length + f.length + 3, ts: TS2, message: 'next' },
    ]);
  });

  it('keeps offsets increasing when a stderr line falls inside a stdout P sequence', () => {
    const p = `${TS} stdout P long `;
    const e = `${TS2} stderr F error in between`;
    const f = `${TS2} stdout F line`;
    const { parser, entries } = parseAll(`${p}\n${e}\n${f}\n`);
    expect(entries.map(({ offset, stream, message }) => ({ offset, stream, message }))).toEqual([
      { offset: 0, stream: 'stdout', message: 'long line' },
      { offset: p.length + 1, stream: 'stderr', message: 'error in between' },
    ]);
    // Acknowledging the stdout entry alone must not skip the stderr line after a restart.
    expect(entries[0].resume).toBe(p.length + 1);
    expect(entries[1].resume).toBe(p.length + e.length + f.length + 3);
    expect(parser.safeResume).toBe(entries[1].resume);
  });

  it('holds nothing back until the newline of a partial trailing line arrives', () => {
    const parser = new LogParser(1024);
    const line = `${TS} stdout F hello\n`;
    expect(parser.push(Buffer.from(line.slice(0, 40)), 0, NOW).entries).toEqual([]);
    const { entries } = parser.push(Buffer.from(line.slice(40)), 40, NOW);
    expect(entries.map((e) => e.message)).toEqual(['hello']);
  });

  it('cuts a full line at the max line size and flags it', () => {
    const { entries } = parseAll(`${TS} stdout F ${'a'.repeat(3000)}\n${TS} stdout F short\n`);
    expect(entries[0]).toMatchObject({ message: 'a'.repeat(1024), truncated: true });
    expect(entries[1]).toMatchObject({ message: 'short', truncated: false });
  });

  it('cuts merged P chunks at the max line size and drops the rest', () => {
    const chunk = 'b'.repeat(600);
    const text = `${TS} stdout P ${chunk}\n`.repeat(5) + `${TS} stdout F end\n${TS} stdout F after\n`;
    const { entries } = parseAll(text, 1024, 100);
    expect(entries.map((e) => [e.message.length, e.truncated])).toEqual([
      [1024, true],
      [5, false],
    ]);
  });

  it('never cuts inside a UTF-8 character and replaces invalid bytes', () => {
    const { entries } = parseAll(`${TS} stdout F ${'é'.repeat(600)}\n`, 1025);
    expect(entries[0].message).toBe('é'.repeat(512));
    const bad = Buffer.concat([Buffer.from(`${TS} stdout F ok `), Buffer.from([0xff, 0xfe]), Buffer.from(' end\n')]);
    expect(parseAll(bad).entries[0].message).toBe('ok \uFFFD\uFFFD end');
  });

  it('reads a P chunk that splits a UTF-8 character as one character', () => {
    const euro = Buffer.from('€');
    const text = Buffer.concat([
      Buffer.from(`${TS} stdout P a`),
      euro.subarray(0, 1),
      Buffer.from(`\n${TS} stdout F `),
      euro.subarray(1),
      Buffer.from('b\n'),
    ]);
    expect(parseAll(text).entries[0].message).toBe('a€b');
  });

  it('sends a line that does not parse in a CRI file as plain text at read time', () => {
    const { entries } = parseAll(`${TS} stdout F fine\n2026-13-45T99:00:00Z stdout F odd\n`);
    expect(entries[1]).toMatchObject({ message: '2026-13-45T99:00:00Z stdout F odd', ts: NOW.toISOString() });
  });

  it('ends an open partial line when the file is finished', () => {
    const parser = new LogParser(1024);
    parser.push(Buffer.from(`${TS} stderr P dangling\n${TS} stdout F x`), 0, NOW);
    const { entries } = parser.finish(NOW);
    expect(entries.map((e) => [e.message, e.truncated])).toEqual([
      ['dangling', true],
      ['x', false],
    ]);
  });
});

describe('plain lines', () => {
  it('detects a plain file by its first line and stamps lines with the read time', () => {
    const { parser, entries } = parseAll('starting up\r\nready\n');
    expect(parser.format).toBe('plain');
    expect(entries.map(({ ts, stream, message }) => ({ ts, stream, message }))).toEqual([
      { ts: NOW.toISOString(), stream: 'stdout', message: 'starting up' },
      { ts: NOW.toISOString(), stream: 'stdout', message: 'ready' },
    ]);
  });
});
