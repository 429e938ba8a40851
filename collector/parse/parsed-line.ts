// One physical line after its format was recognised, before partial lines are merged.
import type { Stream } from '../../common/ingest-batch';
import type { RawLine } from './line-splitter';

export type LogFormat = 'cri' | 'docker' | 'plain';

export interface ParsedLine {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just after the line's newline. */
  end: number;
  /** The line's own timestamp; undefined means "use the read time". */
  ts: string | undefined;
  stream: Stream;
  /** More of the same message follows in a later line of the same stream (CRI `P`, Docker without `\n`). */
  partial: boolean;
  /** The message bytes; valid only until the next chunk is pushed, so keepers copy them. */
  text: Buffer;
  /** The splitter cut the physical line, so `text` lacks its end. */
  cut: boolean;
}

/** Anything that is not CRI or Docker: the whole line is the message, read at read time. */
export function parsePlainLine(line: RawLine): ParsedLine {
  let text = line.head;
  // A writer on Windows line endings would otherwise leave a stray \r on every message.
  if (!line.cut && text.length > 0 && text[text.length - 1] === 0x0d) text = text.subarray(0, -1);
  return { offset: line.offset, end: line.end, ts: undefined, stream: 'stdout', partial: false, text, cut: line.cut };
}
