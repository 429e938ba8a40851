// The CRI log format written by containerd and CRI-O:
//   <RFC 3339 nano timestamp> <stdout|stderr> <tag> <text>
// where the tag is `F` for a full line or `P` for a partial one (the runtime splits long lines,
// 16 KiB by default) and may carry more `:`-separated flags after the first.
import type { Stream } from '../../common/ingest-batch';
import type { RawLine } from './line-splitter';
import type { ParsedLine } from './parsed-line';
import { isRfc3339 } from './timestamp';

const SPACE = 0x20;
// The header is a timestamp, a stream and a tag; anything longer is not a CRI header.
const MAX_TIMESTAMP_CHARS = 40;

/** The parsed line, or undefined when it is not CRI. */
export function parseCriLine(line: RawLine): ParsedLine | undefined {
  const head = line.head;
  const afterTs = head.indexOf(SPACE);
  if (afterTs <= 0 || afterTs > MAX_TIMESTAMP_CHARS) return undefined;
  const afterStream = head.indexOf(SPACE, afterTs + 1);
  if (afterStream === -1) return undefined;
  const stream = head.toString('latin1', afterTs + 1, afterStream);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  // The text may be empty, and some runtimes then omit the space after the tag.
  const afterTag = head.indexOf(SPACE, afterStream + 1);
  const tagEnd = afterTag === -1 ? head.length : afterTag;
  const tag = head.toString('latin1', afterStream + 1, tagEnd).split(':')[0];
  if (tag !== 'P' && tag !== 'F') return undefined;
  const ts = head.toString('latin1', 0, afterTs);
  if (!isRfc3339(ts)) return undefined;
  return {
    offset: line.offset,
    end: line.end,
    ts,
    stream: stream as Stream,
    partial: tag === 'P',
    text: afterTag === -1 ? head.subarray(head.length) : head.subarray(afterTag + 1),
    cut: line.cut,
  };
}
