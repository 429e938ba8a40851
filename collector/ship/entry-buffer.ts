// A batch's entries as JSON in one byte buffer, comma-separated, in ASCII only: every other
// character is written as a JSON escape, so the server reads the body as one-byte text (see
// bodyText in server/ingest/decode-batch.ts) instead of decoding UTF-8 into two-byte text.
// Entry strings die right after they are written, instead of living on the V8 heap until the
// batch is acknowledged: living that long, they survived young-generation collections, were
// promoted, and made the collector's heap grow to several times what it holds (measured: 270 MiB
// RSS catching up a backlog, most of it old-generation garbage). Buffers are reused from batch
// to batch.

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
/** What JSON escapes in a string: quote, backslash and control characters. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const TAIL = Buffer.from(']}');
const BACKSLASH = 0x5c;
const DIGIT_ZERO = 0x30;
const LETTER_U = 0x75;
const HEX = Buffer.from('0123456789abcdef');
const MAX_SAFE_INTEGER_DIGITS = 16;
/** Per byte, what JSON.stringify writes for it: the letter after a backslash, where it is that short. */
const SHORT_ESCAPE = new Uint8Array(256);
for (const [byte, letter] of [[0x22, '"'], [0x5c, '\\'], [0x08, 'b'], [0x09, 't'], [0x0a, 'n'], [0x0c, 'f'], [0x0d, 'r']] as const) {
  SHORT_ESCAPE[byte] = letter.charCodeAt(0);
}
/** Per byte, how many bytes its escape adds: 1 for `\n` and the like, 5 for `\u00XX`. */
const ESCAPE_EXTRA = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPE_EXTRA[byte] = SHORT_ESCAPE[byte] ? 1 : 5;
ESCAPE_EXTRA[0x22] = 1;
ESCAPE_EXTRA[0x5c] = 1;

/** The bytes of `text` once escaped, without its quotes: 1, 2 or 6 a UTF-16 unit. */
function escapedLength(text: string): number {
  let total = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    total += code < 0x80 ? 1 + ESCAPE_EXTRA[code] : 6;
  }
  return total;
}

/** `\uXXXX` for a UTF-16 unit at `to` in `buffer`; where the next byte goes. */
function unicodeEscape(buffer: Buffer, to: number, code: number): number {
  buffer[to++] = BACKSLASH;
  buffer[to++] = LETTER_U;
  buffer[to++] = HEX[code >> 12];
  buffer[to++] = HEX[(code >> 8) & 0xf];
  buffer[to++] = HEX[(code >> 4) & 0xf];
  buffer[to++] = HEX[code & 0xf];
  return to;
}

/** JSON text with every character beyond ASCII escaped (they can only be inside its strings). */
export function asciiJson(json: string): string {
  return json.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

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

  /** Starts an entry; what follows up to the next `begin` is its JSON. */
  begin(): void {
    this.reserve(1);
    if (this.starts.length > 0) this.buffer[this.used++] = COMMA;
    this.starts.push(this.used);
  }

  /** A whole entry that is already JSON text. */
  append(json: string): void {
    this.begin();
    this.raw(json);
  }

  /** Text that is JSON already (keys, punctuation), as it is but for characters beyond ASCII. */
  raw(json: string): void {
    this.reserve(json.length * 3);
    const written = this.buffer.write(json, this.used, 'utf8');
    if (written === json.length) this.used += written;
    else this.raw(asciiJson(json));
  }

  /** A non-negative integer (a byte offset), digit by digit: no string made for it. */
  integer(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) return this.raw(JSON.stringify(value));
    this.reserve(MAX_SAFE_INTEGER_DIGITS);
    let digits = 1;
    for (let power = 10; power <= value; power *= 10) digits++;
    const buffer = this.buffer;
    let at = this.used + digits;
    this.used = at;
    let rest = value;
    do {
      const next = Math.floor(rest / 10);
      buffer[--at] = DIGIT_ZERO + (rest - next * 10);
      rest = next;
    } while (rest > 0);
  }

  /**
   * `text` as a JSON string, encoded and escaped straight into the buffer: a message is never
   * copied into another string first (JSON.stringify's copy was a fifth of everything the
   * collector allocated). A lone surrogate, which no decoded file holds, is written as U+FFFD.
   */
  string(text: string): void {
    if (!NEEDS_ESCAPE.test(text)) {
      this.reserve(text.length * 3 + 2);
      const buffer = this.buffer;
      buffer[this.used] = QUOTE;
      const written = buffer.write(text, this.used + 1, 'utf8');
      // As many bytes as UTF-16 units: all ASCII. Otherwise written again below, escaped.
      if (written === text.length) {
        buffer[this.used + 1 + written] = QUOTE;
        this.used += written + 2;
        return;
      }
    }
    const length = text.length;
    this.reserve(length * 6 <= HEADROOM_BYTES ? length * 6 + 2 : escapedLength(text) + 2);
    const buffer = this.buffer;
    let to = this.used;
    buffer[to++] = QUOTE;
    for (let i = 0; i < length; i++) {
      let code = text.charCodeAt(i);
      if (code < 0x80) {
        const more = ESCAPE_EXTRA[code];
        if (more === 0) {
          buffer[to++] = code;
        } else if (more === 1) {
          buffer[to++] = BACKSLASH;
          buffer[to++] = SHORT_ESCAPE[code];
        } else {
          to = unicodeEscape(buffer, to, code);
        }
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < length ? text.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          to = unicodeEscape(buffer, to, code);
          code = next;
          i++;
        } else {
          code = 0xfffd;
        }
      }
      to = unicodeEscape(buffer, to, code);
    }
    buffer[to++] = QUOTE;
    this.used = to;
  }

  /** Room for `bytes` more after what is written. */
  private reserve(bytes: number): void {
    // Callers count a UTF-16 unit as 3 UTF-8 bytes, its most: with this much room no write is cut.
    if (this.used + bytes + 1 > this.buffer.length) this.grow(this.used + bytes + 1);
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
