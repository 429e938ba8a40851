// For the protocol decoders' tests: a body decoded with test limits, and a decoded batch's
// entries as plain rows to compare.
import { LEVELS, STREAMS, type DecodedBatch } from '../decoded-batch';
import { decodeProtocol, type ProtocolFormat } from './decode-protocol';

export function decodeBody(
  format: ProtocolFormat,
  bytes: Uint8Array,
  { encoding = 'identity', maxLineBytes = 256 * 1024, receivedAtMs = Date.now() }: { encoding?: string; maxLineBytes?: number; receivedAtMs?: number } = {},
): DecodedBatch {
  return decodeProtocol({ format, bytes, encoding, limitBytes: 32 * 1024 * 1024, maxLineBytes, receivedAtMs, sender: 'test' });
}

export interface DecodedRow {
  ts: number;
  level: string;
  stream: string;
  message: string;
  fields: Record<string, unknown> | null;
}

export function decodedRows(batch: DecodedBatch): DecodedRow[] {
  const e = batch.entries;
  const text = Buffer.from(e.text.buffer, e.text.byteOffset, e.text.byteLength);
  return Array.from({ length: e.length }, (_, i) => {
    const start = i === 0 ? 0 : e.fieldsEnd[i - 1];
    const fields = e.fieldsEnd[i] > e.messageEnd[i] ? JSON.parse(text.toString('utf8', e.messageEnd[i], e.fieldsEnd[i])) : null;
    return { ts: e.ts[i], level: LEVELS[e.level[i]], stream: STREAMS[e.stream[i]], message: text.toString('utf8', start, e.messageEnd[i]), fields };
  });
}
