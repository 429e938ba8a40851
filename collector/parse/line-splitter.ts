// Splits a file's bytes into lines without ever holding more than a bounded prefix of one line:
// a writer that never prints a newline must not make the collector buffer the whole file.

export interface RawLine {
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Byte offset just after the newline (or after the last byte, for a flushed partial line). */
  end: number;
  /** The line without its newline, at most `keepBytes` long. Valid until the next push. */
  head: Buffer;
  /** For a cut line, its last TAIL_BYTES bytes: Docker puts `stream` and `time` after the text. */
  tail: Buffer | undefined;
  /** The line was longer than `keepBytes`; the middle is gone. */
  cut: boolean;
}

/** Enough of a cut line's end to hold Docker's `","stream":"stderr","time":"…"}`. */
export const TAIL_BYTES = 256;
const NEWLINE = 0x0a;

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  private seen = 0;
  private cut = false;
  private tail: Buffer | undefined;
  private start: number;

  constructor(
    private readonly keepBytes: number,
    offset = 0,
  ) {
    this.start = offset;
  }

  /** Forgets any partial line; the next chunk starts at `offset`. */
  reset(offset: number): void {
    this.parts = [];
    this.kept = 0;
    this.seen = 0;
    this.cut = false;
    this.tail = undefined;
    this.start = offset;
  }

  /** Offset of the first byte not yet returned as part of a complete line. */
  get lineStart(): number {
    return this.start;
  }

  get hasPartial(): boolean {
    return this.seen > 0;
  }

  /** Complete lines in `chunk`; the trailing bytes after the last newline are kept for later. */
  push(chunk: Buffer, chunkOffset: number): RawLine[] {
    if (chunkOffset !== this.start + this.seen) {
      throw new RangeError(`chunk at ${chunkOffset} does not follow byte ${this.start + this.seen}`);
    }
    const lines: RawLine[] = [];
    let from = 0;
    while (from < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, from);
      if (newline === -1) {
        this.append(chunk.subarray(from), true);
        break;
      }
      const body = chunk.subarray(from, newline);
      if (this.seen === 0 && body.length <= this.keepBytes) {
        // The common case: a whole line inside one chunk, handed out without a copy.
        const end = chunkOffset + newline + 1;
        lines.push({ offset: this.start, end, head: body, tail: undefined, cut: false });
        this.start = end;
      } else {
        this.append(body, false);
        lines.push(this.finish(chunkOffset + newline + 1));
      }
      from = newline + 1;
    }
    return lines;
  }

  /** The partial trailing line as if it had ended, for a file that will not grow any more. */
  flush(): RawLine | undefined {
    if (this.seen === 0) return undefined;
    return this.finish(this.start + this.seen);
  }

  private append(bytes: Buffer, retained: boolean): void {
    const keep = Math.min(this.keepBytes - this.kept, bytes.length);
    if (keep < bytes.length) {
      // The tail continues from what came before this piece, which may still be in `parts`.
      const before = this.tail ?? Buffer.concat(this.parts, this.kept).subarray(-TAIL_BYTES);
      this.tail = Buffer.from(Buffer.concat([before, bytes.subarray(-TAIL_BYTES)]).subarray(-TAIL_BYTES));
      this.cut = true;
    }
    this.seen += bytes.length;
    if (keep > 0) {
      // Copy what outlives this push: the caller may reuse the chunk's memory.
      const part = bytes.subarray(0, keep);
      this.parts.push(retained ? Buffer.from(part) : part);
      this.kept += keep;
    }
  }

  private finish(end: number): RawLine {
    const head = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.kept);
    const line: RawLine = { offset: this.start, end, head, tail: this.tail, cut: this.cut };
    this.reset(end);
    return line;
  }
}
