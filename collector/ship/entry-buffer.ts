// A batch's entries as UTF-8 JSON in one byte buffer, comma-separated. Entry strings die right
// after they are written, instead of living on the V8 heap until the batch is acknowledged:
// living that long, they survived young-generation collections, were promoted, and made the
// collector's heap grow to several times what it holds (measured: 270 MiB RSS catching up a
// backlog, most of it old-generation garbage). Buffers are reused from batch to batch.

/** Reserved beyond the batch size, so the entry that crosses it fits without growing. */
const HEADROOM_BYTES = 64 * 1024;
/**
 * Reserved before the entries for the batch's head (collector and sources), so the request
 * body is a view of this buffer, not a copy of it: a megabyte copied per batch was garbage
 * outside the V8 heap, which it lets grow by 64 MiB before it collects.
 */
const HEAD_GAP_BYTES = 128 * 1024;
const COMMA = 0x2c;
const QUOTE = 0x22;
/**
 * What JSON.stringify would escape in a string: quote, backslash, control characters, and lone
 * surrogates (well-formed JSON.stringify writes those as \u escapes; UTF-8 cannot hold them).
 */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const TAIL = Buffer.from(']}');

export class EntryBuffer {
  private buffer: Buffer;
  private used = HEAD_GAP_BYTES;
  /** Byte offset where each entry's JSON starts. */
  private readonly starts: number[] = [];

  constructor(buffer: Buffer) {
    this.buffer = buffer;
  }

  static create(minBytes: number, spare?: Buffer): EntryBuffer {
    const size = HEAD_GAP_BYTES + minBytes + HEADROOM_BYTES;
    return new EntryBuffer(spare && spare.length >= size ? spare : Buffer.allocUnsafe(size));
  }

  get count(): number {
    return this.starts.length;
  }

  get bytes(): number {
    return this.used - HEAD_GAP_BYTES;
  }

  /** The buffer, to reuse once the batch is delivered; this EntryBuffer must not be used after. */
  get storage(): Buffer {
    return this.buffer;
  }

  append(json: string): void {
    this.reserve(json.length * 3);
    this.used += this.buffer.write(json, this.used, 'utf8');
  }

  /**
   * One entry written as `head`, `message` as a JSON string, `tail`, each straight into the
   * buffer: joined into one string first, each message was copied once more (the join, which
   * the write then flattened), and a plain line needs no JSON.stringify copy at all.
   */
  appendEntry(head: string, message: string, tail: string): void {
    // Most plain lines need no escaping and are written as they are; a JSON line's quotes do.
    const escaped = NEEDS_ESCAPE.test(message) ? JSON.stringify(message) : undefined;
    this.reserve((head.length + (escaped ?? message).length + tail.length) * 3 + 2);
    const buffer = this.buffer;
    let used = this.used + buffer.write(head, this.used, 'utf8');
    if (escaped === undefined) {
      buffer[used++] = QUOTE;
      used += buffer.write(message, used, 'utf8');
      buffer[used++] = QUOTE;
    } else {
      used += buffer.write(escaped, used, 'utf8');
    }
    this.used = used + buffer.write(tail, used, 'utf8');
  }

  /** Starts an entry with room for `worstBytes` more. */
  private reserve(worstBytes: number): void {
    // A UTF-16 unit is at most 3 UTF-8 bytes: with this much room a write cannot be cut.
    if (this.used + worstBytes + 1 > this.buffer.length) this.grow(this.used + worstBytes + 1);
    if (this.starts.length > 0) this.buffer[this.used++] = COMMA;
    this.starts.push(this.used);
  }

  /**
   * `head`, entries [from, to) and `]}`: a whole request body. For all entries and a head that
   * fits the gap, written around them in place.
   */
  framed(head: string, from = 0, to = this.starts.length): Buffer {
    const headBytes = Buffer.byteLength(head);
    if (from !== 0 || to !== this.starts.length || headBytes > HEAD_GAP_BYTES) {
      return Buffer.concat([Buffer.from(head), this.range(from, to), TAIL]);
    }
    if (this.used + TAIL.length > this.buffer.length) this.grow(this.used + TAIL.length);
    this.buffer.write(head, HEAD_GAP_BYTES - headBytes, 'utf8');
    TAIL.copy(this.buffer, this.used);
    return this.buffer.subarray(HEAD_GAP_BYTES - headBytes, this.used + TAIL.length);
  }

  /** Entries [from, to) as the bytes between `[` and `]` of a JSON array. */
  range(from = 0, to = this.starts.length): Buffer {
    if (from >= to) return this.buffer.subarray(HEAD_GAP_BYTES, HEAD_GAP_BYTES);
    const end = to < this.starts.length ? this.starts[to] - 1 : this.used;
    return this.buffer.subarray(this.starts[from], end);
  }

  private grow(minBytes: number): void {
    const next = Buffer.allocUnsafe(Math.max(minBytes, this.buffer.length * 2));
    this.buffer.copy(next, 0, 0, this.used);
    this.buffer = next;
  }
}
