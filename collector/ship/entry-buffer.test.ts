import { describe, expect, it } from 'vitest';
import { isAscii } from 'node:buffer';
import { asciiJson, EntryBuffer } from './entry-buffer';

const asArray = (bytes: Buffer) => JSON.parse(`[${bytes.toString('utf8')}]`) as unknown[];

describe('EntryBuffer', () => {
  it('keeps entries as one comma-separated JSON run, any range of which parses', () => {
    const entries = EntryBuffer.create(16);
    const values = [{ a: 1 }, { b: 'é 🙂' }, { c: '"\\n' }, { d: null }];
    for (const value of values) entries.append(JSON.stringify(value));
    expect(entries.count).toBe(4);
    expect(asArray(entries.range())).toEqual(values);
    expect(asArray(entries.range(1, 3))).toEqual(values.slice(1, 3));
    expect(asArray(entries.range(3, 4))).toEqual(values.slice(3));
    expect(entries.range(2, 2).length).toBe(0);
  });

  it('writes strings as JSON.stringify would but with every character beyond ASCII escaped, whatever they hold, and integers as digits', () => {
    const entries = EntryBuffer.create(16);
    const messages = ['plain', '', 'quote " and \\ backslash', 'é "quoted" \u2028', 'ж'.repeat(20_000), 'tab\tnew\nline\u0000nul\u001f\b\f\r', 'é 🙂 ж', '{"level":"info"}', '</script>', 'x'.repeat(100_000), '"'.repeat(70_000)];
    const offsets = [0, 7, 10, 11, 12, 4_294_967_296, Number.MAX_SAFE_INTEGER, 99, 100, 123_456_789, 1];
    messages.forEach((message, i) => {
      entries.begin();
      entries.raw('{"o":');
      entries.integer(offsets[i]);
      entries.raw(',"m":');
      entries.string(message);
      entries.raw('}');
    });
    expect(entries.range().toString('latin1')).toBe(messages.map((m, i) => `{"o":${offsets[i]},"m":${asciiJson(JSON.stringify(m))}}`).join(','));
    expect(isAscii(entries.range())).toBe(true);
    expect(asArray(entries.range())).toEqual(messages.map((m, i) => ({ o: offsets[i], m })));
  });

  it('writes a lone surrogate, which no decoded file holds, as the replacement character', () => {
    const entries = EntryBuffer.create(16);
    entries.begin();
    entries.string('lone \ud800 "surrogate"');
    expect(asArray(entries.range())).toEqual(['lone \ufffd "surrogate"']);
  });

  it('grows for an entry larger than its room, multi-byte text included, and keeps what it had', () => {
    const entries = EntryBuffer.create(8);
    entries.append('"first"');
    const big = JSON.stringify('ж'.repeat(200_000));
    entries.append(big);
    expect(asArray(entries.range())).toEqual(['first', 'ж'.repeat(200_000)]);
    expect(entries.bytes).toBe(asciiJson(big).length + 7 + 1);
  });

  it('frames a whole body in place around the entries, and a part of them as a copy', () => {
    const entries = EntryBuffer.create(64);
    for (const n of [1, 2, 3]) entries.append(JSON.stringify({ n }));
    const head = '{"sources":[{"k":"é"}],"entries":[';
    const whole = entries.framed(head);
    expect(whole.buffer).toBe(entries.storage.buffer);
    expect(JSON.parse(whole.toString())).toEqual({ sources: [{ k: 'é' }], entries: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(JSON.parse(entries.framed(head, 1, 3).toString()).entries).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('writes into a spare buffer when it is large enough', () => {
    const spare = Buffer.alloc(400_000);
    expect(EntryBuffer.create(1024, spare).storage).toBe(spare);
    expect(EntryBuffer.create(1024 * 1024, spare).storage).not.toBe(spare);
  });
});
