// The CRI log format that containerd and CRI-O write under /var/log/pods:
//   <RFC 3339 time, nanoseconds, UTC> <stdout|stderr> <P|F> <text>\n
// A line longer than the runtime's limit is written as several `P` (partial) lines and a final
// `F` (full) line; a reader joins them back into one entry.

import type { Stream } from '../../common/ingest-batch';
import { isoNanos } from './time-text';

/** containerd's default `max_container_log_line_size`: a longer line is split into P chunks. */
export const CRI_MAX_LINE_BYTES = 16 * 1024;

export interface CriRecord {
  /** Epoch milliseconds (integer). */
  ts: number;
  /** Nanoseconds past `ts` (0–999999). */
  nanos?: number;
  stream: Stream;
  /** One physical line, without its newline. */
  text: string;
}

/** `2026-11-25T12:00:00.123456789Z`, always nine fraction digits, as containerd writes. */
export function criTimestamp(ts: number, nanos = 0): string {
  return isoNanos(ts, nanos);
}

/** Epoch ms and sub-ms nanoseconds of a CRI timestamp (UTC `Z` or a numeric offset), or undefined. */
export function parseCriTimestamp(text: string): { ts: number; nanos: number } | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return undefined;
  const fraction = (m[2] ?? '').padEnd(9, '0');
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return { ts: seconds + Number(fraction.slice(0, 3)), nanos: Number(fraction.slice(3)) };
}

/** Splits UTF-8 bytes into chunks of at most `max` bytes without cutting a character in two. */
function splitUtf8(text: string, max: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: string[] = [];
  let start = 0;
  while (bytes.length - start > max) {
    let end = start + max;
    // Back off continuation bytes (10xxxxxx): containerd cuts bytes blindly, but a chunk that is
    // invalid UTF-8 on its own would make each partial line unreadable in an editor.
    while (end > start && (bytes[end] & 0xc0) === 0x80) end--;
    chunks.push(bytes.toString('utf8', start, end));
    start = end;
  }
  chunks.push(bytes.toString('utf8', start));
  return chunks;
}

/** The record as CRI text: one `F` line, or `P` lines then an `F` line; every line ends in `\n`. */
export function formatCri(record: CriRecord): string {
  const prefix = `${isoNanos(record.ts, record.nanos ?? 0)} ${record.stream} `;
  const text = record.text;
  // A UTF-16 unit is at most 3 UTF-8 bytes, so short strings need no byte count.
  if (text.length * 3 <= CRI_MAX_LINE_BYTES || Buffer.byteLength(text, 'utf8') <= CRI_MAX_LINE_BYTES) {
    return `${prefix}F ${text}\n`;
  }
  const chunks = splitUtf8(text, CRI_MAX_LINE_BYTES);
  let out = '';
  for (let i = 0; i < chunks.length; i++) out += `${prefix}${i === chunks.length - 1 ? 'F' : 'P'} ${chunks[i]}\n`;
  return out;
}
