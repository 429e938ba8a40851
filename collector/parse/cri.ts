// The CRI log format written by containerd and CRI-O:
//   <RFC 3339 nano timestamp> <stdout|stderr> <tag> <text>
// where the tag is `F` for a full line or `P` for a partial one (the runtime splits long lines,
// 16 KiB by default) and may carry more `:`-separated flags after the first.
import type { Stream } from '../../common/ingest-batch';
import type { RawLine } from './line-splitter';
import type { ParsedLine } from './parsed-line';
import { isRfc3339 } from './timestamp';

const SPACE = 0x20;
const COLON = 0x3a;
const CHAR_F = 0x46;
const CHAR_P = 0x50;
// The header is a timestamp, a stream and a tag; anything longer is not a CRI header.
const MAX_TIMESTAMP_CHARS = 40;

/**
 * The parsed line, or undefined when it is not CRI. This runs once per line at hundreds of
 * thousands of lines a second, so the header is compared byte by byte, not sliced into strings.
 */
export function parseCriLine(line: RawLine): ParsedLine | undefined {
  const head = line.head;
  const afterTs = head.indexOf(SPACE);
  if (afterTs <= 0 || afterTs > MAX_TIMESTAMP_CHARS) return undefined;
  const afterStream = afterTs + 7;
  const stream = streamAt(head, afterTs + 1);
  if (stream === undefined || (head.length > afterStream && head[afterStream] !== SPACE)) return undefined;
  // The tag is `F` or `P`, maybe with more `:`-separated flags; the text may be empty, and
  // some runtimes then omit the space after the tag.
  const tagByte = head[afterStream + 1];
  if (tagByte !== CHAR_F && tagByte !== CHAR_P) return undefined;
  let afterTag = afterStream + 2;
  if (afterTag < head.length && head[afterTag] === COLON) {
    afterTag = head.indexOf(SPACE, afterTag);
    if (afterTag === -1) afterTag = head.length;
  } else if (afterTag < head.length && head[afterTag] !== SPACE) {
    return undefined;
  }
  const ts = head.toString('latin1', 0, afterTs);
  if (!isRfc3339(ts)) return undefined;
  return {
    offset: line.offset,
    end: line.end,
    ts,
    stream,
    partial: tagByte === CHAR_P,
    text: head.subarray(Math.min(afterTag + 1, head.length)),
    cut: line.cut,
  };
}

/** `stdout` or `stderr` at `at`, else undefined. */
function streamAt(head: Buffer, at: number): Stream | undefined {
  // s t d o u t / s t d e r r
  if (head[at] !== 0x73 || head[at + 1] !== 0x74 || head[at + 2] !== 0x64) return undefined;
  if (head[at + 3] === 0x6f && head[at + 4] === 0x75 && head[at + 5] === 0x74) return 'stdout';
  if (head[at + 3] === 0x65 && head[at + 4] === 0x72 && head[at + 5] === 0x72) return 'stderr';
  return undefined;
}
