import { describe, expect, it } from 'vitest';
import { decodedRows } from './decoded-rows';
import { decodeProtocol } from './decode-protocol';
import { isProtocolRecord, ProtocolFiles, replayProtocolRecord } from './protocol-file';

const NOW = Date.now();
const body = (text: string) => ({ format: 'loki-json' as const, encoding: 'identity', receivedAtMs: NOW, sender: 'Vector/0.44.0' , bytes: Buffer.from(JSON.stringify({ streams: [{ stream: { pod: 'a' }, values: [[`${NOW}000000`, text], [`${NOW}000000`, `${text} again`]] }] })) });
const decode = (b: ReturnType<typeof body>) => decodeProtocol({ ...b, limitBytes: 1e6, maxLineBytes: 1e6 });

describe('ProtocolFiles', () => {
  it('numbers requests in one file per process: offsets grow from request to request', () => {
    const files = new ProtocolFiles('abc');
    const first = decode(body('one'));
    const second = decode(body('two'));
    expect(files.place(first, body('one'), 'd1')).toEqual({ file: 'loki@abc', request: 0 });
    expect(files.place(second, body('two'), 'd2')).toEqual({ file: 'loki@abc', request: 1 });
    expect(first.entries.files).toEqual(['loki@abc']);
    expect([...first.entries.offset, ...second.entries.offset]).toEqual([0, 1, 2 ** 17, 2 ** 17 + 1]);
  });

  it('gives a refused request its place again when resent, and later requests a new file', () => {
    const files = new ProtocolFiles('abc');
    const refused = files.place(decode(body('one')), body('one'), 'd1');
    files.refused('d1', refused);
    expect(files.place(decode(body('one')), body('one'), 'd1')).toEqual(refused);
    expect(files.place(decode(body('two')), body('two'), 'd2')).toEqual({ file: 'loki@abc.1', request: 1 });
  });

  it('numbers a resend anew once a later request shares the refused one\'s file', () => {
    const files = new ProtocolFiles('abc');
    const refused = files.place(decode(body('one')), body('one'), 'd1');
    files.place(decode(body('two')), body('two'), 'd2'); // placed before the refusal came
    files.refused('d1', refused);
    expect(files.place(decode(body('one')), body('one'), 'd1')).toEqual({ file: 'loki@abc.1', request: 2 });
  });

  it('writes a journal header from which replay places the request the same way', () => {
    const files = new ProtocolFiles('abc');
    files.place(decode(body('zero')), body('zero'), 'd0');
    const batch = decode(body('one'));
    files.place(batch, body('one'), 'd1');
    expect(isProtocolRecord(batch.wire.encoding)).toBe(true);
    expect(batch.wire.encoding.length).toBeLessThan(256);
    const replayed = replayProtocolRecord(batch.wire.body, batch.wire.encoding);
    expect(replayed.entries.files).toEqual(batch.entries.files);
    expect([...replayed.entries.offset]).toEqual([...batch.entries.offset]);
    expect(decodedRows(replayed)).toEqual(decodedRows(batch));
    expect(replayed.collector).toEqual({ id: 'loki:Vector/0.44.0', node: '' });
  });
});
