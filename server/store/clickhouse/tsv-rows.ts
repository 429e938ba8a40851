// A batch's accepted lines as ClickHouse's TabSeparated input, written straight from the decoded
// batch's UTF-8 bytes: no string per message, no object per row, no JSON to build and parse.
// Escapes are TabSeparated's: a backslash before the characters that would end a value or a row.
import type { EntryColumns } from '../../ingest/decoded-batch';
import { LEVELS, STREAMS } from '../../ingest/decoded-batch';

/** The entries table's columns in the order each line gives them. */
export const TSV_COLUMNS = ['ts', 'source_id', 'file_id', 'offset', 'stream', 'level', 'message', 'fields', 'truncated'] as const;

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const ESCAPES = new Map([
  [0x00, 0x30], // \0
  [0x08, 0x62], // \b
  [TAB, 0x74], // \t
  [NEWLINE, 0x6e], // \n
  [0x0c, 0x66], // \f
  [0x0d, 0x72], // \r
  [BACKSLASH, BACKSLASH],
]);
const NEEDS_ESCAPE = new Uint8Array(256);
for (const byte of ESCAPES.keys()) NEEDS_ESCAPE[byte] = 1;

/**
 * Rows `rows[0..count)` of `e`: each with its source id (`sourceIds[e.source[i]]`) and file id
 * (`fileIds[i]`).
 */
export function tsvRows(e: EntryColumns, rows: Uint32Array, count: number, sourceIds: readonly number[], fileIds: Float64Array): Buffer {
  let size = 0;
  for (let n = 0; n < count; n++) {
    const i = rows[n];
    const start = i === 0 ? 0 : e.fieldsEnd[i - 1];
    // Every byte escaped at worst, plus the fixed columns.
    size += 2 * (e.fieldsEnd[i] - start) + 120;
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  const ascii = (text: string) => {
    at += out.write(text, at, 'latin1');
  };
  const bytes = (from: number, to: number) => {
    for (let b = from; b < to; b++) {
      const byte = e.text[b];
      if (NEEDS_ESCAPE[byte] === 1) {
        out[at++] = BACKSLASH;
        out[at++] = ESCAPES.get(byte)!;
      } else out[at++] = byte;
    }
  };
  for (let n = 0; n < count; n++) {
    const i = rows[n];
    const start = i === 0 ? 0 : e.fieldsEnd[i - 1];
    const us = e.ts[i];
    const seconds = Math.floor(us / 1e6);
    ascii(`${seconds}.${String(us - seconds * 1e6).padStart(6, '0')}\t${sourceIds[e.source[i]]}\t${fileIds[i]}\t${e.offset[i]}\t${STREAMS[e.stream[i]]}\t${LEVELS[e.level[i]]}\t`);
    bytes(start, e.messageEnd[i]);
    out[at++] = TAB;
    if (e.messageEnd[i] < e.fieldsEnd[i]) bytes(e.messageEnd[i], e.fieldsEnd[i]);
    else ascii('\\N');
    ascii(e.truncated[i] === 1 ? '\t1\n' : '\t0\n');
  }
  return out.subarray(0, at);
}
