import { describe, expect, it } from 'vitest';
import { batch, lines } from '../testing/batches';
import { decodeBatch } from './decode-batch';

const startMs = Date.parse('2026-11-01T00:00:00Z');

function messagesOf(body: Buffer): string[] {
  const e = decodeBatch(body, 'identity', Number.MAX_SAFE_INTEGER).entries;
  return Array.from({ length: e.length }, (_, i) => Buffer.from(e.text.subarray(i === 0 ? 0 : e.fieldsEnd[i - 1], e.messageEnd[i])).toString('utf8'));
}

describe('decodeBatch', () => {
  it('keeps every character of long non-ASCII messages, wherever they fall in the body', () => {
    // Two-, three- and four-byte characters at every offset, across many 4 KiB pieces.
    const message = (i: number) => `${'a'.repeat(i % 7)}${'é☃𝄞 '.repeat(400 + i)}end`;
    const sent = lines({ source: 'api', count: 40, startMs, message });
    expect(messagesOf(Buffer.from(JSON.stringify(batch(sent))))).toEqual(sent.map((e) => e.message));
  });

  it('reads a body of ASCII bytes, as the collector sends, with its escaped characters as they were sent', () => {
    const message = (i: number) => `${'a'.repeat(i % 7)} "é☃𝄞" \u2028 ${i}`;
    const sent = lines({ source: 'api', count: 40, startMs, message });
    const ascii = JSON.stringify(batch(sent)).replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(messagesOf(Buffer.from(ascii, 'latin1'))).toEqual(sent.map((e) => e.message));
  });

  it('reads bytes that are not UTF-8 as the replacement character, as a whole-body decode would', () => {
    const json = JSON.stringify(batch(lines({ source: 'api', count: 1, startMs, message: () => `x${'é'.repeat(3000)}INVALIDy` })));
    const bytes = Buffer.from(json);
    const at = bytes.indexOf('INVALID');
    // A lone lead byte, then a run of continuation bytes longer than a piece.
    bytes[at] = 0xe2;
    const body = Buffer.concat([bytes.subarray(0, at + 1), Buffer.alloc(5000, 0x80), bytes.subarray(at + 7)]);
    expect(messagesOf(body)).toEqual([JSON.parse(body.toString('utf8')).entries[0].message]);
  });

  it('keeps the timestamp of an entry stored at the time received beside its own fields', () => {
    const sent = lines({ source: 'api', count: 2, startMs, message: () => '{"level":"info","user":{"id":42}}' });
    sent[1].ts = '9999-12-31T23:59:59.999999999Z';
    const receivedMs = startMs + 60_000;
    const e = decodeBatch(Buffer.from(JSON.stringify(batch(sent))), 'identity', Number.MAX_SAFE_INTEGER, receivedMs).entries;
    const fields = (i: number) => JSON.parse(Buffer.from(e.text.subarray(e.messageEnd[i], e.fieldsEnd[i])).toString('utf8'));
    expect(fields(0)).toEqual({ level: 'info', 'user.id': 42 });
    expect(fields(1)).toEqual({ level: 'info', 'user.id': 42, 'logpond.ts_original': '9999-12-31T23:59:59.999999999Z' });
    expect([...e.ts]).toEqual([startMs * 1000, receivedMs * 1000]);
  });
});
