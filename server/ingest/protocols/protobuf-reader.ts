// A reader of the protobuf wire format, for the two schemas Logpond accepts (OTLP logs and Loki
// push). Hand-written rather than generated: the decoders read only the fields they map, skip the
// rest, and never build an object for a message they do not keep. Every error is a 400 that says
// which message was cut or bad, since a shipper's author will read it.
import { isUtf8 } from 'node:buffer';
import { BadRequestError } from '../../errors';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

export class ProtobufError extends BadRequestError {
  constructor(message: string) {
    super(`the protobuf body is not valid: ${message}`, 'invalid_protobuf');
  }
}

export class ProtobufReader {
  pos: number;

  constructor(
    readonly buf: Buffer,
    start = 0,
    /** The end of the message being read. */
    public end = buf.length,
  ) {
    this.pos = start;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  /** The next field's tag: field number × 8 + wire type. */
  tag(): number {
    return this.varint();
  }

  /** A varint up to 2^53 (every length, enum and count the schemas hold). */
  varint(): number {
    const buf = this.buf;
    let result = 0;
    let shift = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`a varint is cut short at byte ${this.pos}`);
      const byte = buf[this.pos++];
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) throw new ProtobufError(`a varint at byte ${this.pos} is too large`);
        return result;
      }
      shift *= 128;
    }
    throw new ProtobufError(`a varint at byte ${this.pos} runs past 10 bytes`);
  }

  /** An int64 varint as a number, negative values included (their two's complement). */
  int64(): number {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError(`a varint is cut short at byte ${this.pos}`);
      const byte = this.buf[this.pos++];
      if (i < 4) lo |= (byte & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (byte & 0x0f) << 28;
        hi |= (byte & 0x7f) >> 4;
      } else hi |= (byte & 0x7f) << (7 * i - 32);
      if (byte < 0x80) return (hi | 0) * 4294967296 + (lo >>> 0);
    }
    throw new ProtobufError(`a varint at byte ${start} runs past 10 bytes`);
  }

  /** An int64 varint exactly: a number where it is safe, else its decimal text. */
  exactInt64(): number | string {
    const start = this.pos;
    const value = this.int64();
    if (Number.isSafeInteger(value)) return value;
    let n = 0n;
    for (let i = 0; start + i < this.pos; i++) n |= BigInt(this.buf[start + i] & 0x7f) << BigInt(7 * i);
    return BigInt.asIntN(64, n).toString();
  }

  /** A fixed64 as its two 32-bit halves, which fixed64Micros turns into microseconds exactly. */
  fixed64(): { lo: number; hi: number } {
    if (this.pos + 8 > this.end) throw new ProtobufError(`a fixed64 is cut short at byte ${this.pos}`);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return { lo, hi };
  }

  double(): number {
    if (this.pos + 8 > this.end) throw new ProtobufError(`a double is cut short at byte ${this.pos}`);
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** The bounds of a length-delimited field's bytes; the reader moves past them. */
  span(): number {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw new ProtobufError(`a field of ${length} bytes at byte ${start} runs past the end of its message`);
    this.pos = start + length;
    return start;
  }

  /**
   * Steps into a length-delimited field's message: the reader then reads it alone until exit()
   * is given what this returns. Spares a reader object per nested message on the hot path.
   */
  enter(): number {
    const outer = this.end;
    const start = this.span();
    this.end = this.pos;
    this.pos = start;
    return outer;
  }

  /** Back out of a message entered with enter(), past its end. */
  exit(outerEnd: number): void {
    this.pos = this.end;
    this.end = outerEnd;
  }

  /** A length-delimited field as a reader of its own, for a nested message. */
  message(): ProtobufReader {
    const start = this.span();
    return new ProtobufReader(this.buf, start, this.pos);
  }

  /** A string field; text that is not UTF-8 is refused (protobuf requires it, and so do we). */
  string(what: string): string {
    const start = this.span();
    const text = this.buf.toString('utf8', start, this.pos);
    // U+FFFD is where invalid bytes went, or a real U+FFFD: only then is the slice checked.
    if (text.includes('\uFFFD') && !isUtf8(this.buf.subarray(start, this.pos))) throw new BadRequestError(`${what} is not valid UTF-8`, 'invalid_utf8');
    return text;
  }

  bytes(): Buffer {
    const start = this.span();
    return this.buf.subarray(start, this.pos);
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.int64();
        return;
      case WIRE_FIXED64:
        this.need(8);
        return;
      case WIRE_BYTES:
        this.span();
        return;
      case WIRE_FIXED32:
        this.need(4);
        return;
      default:
        throw new ProtobufError(`wire type ${wireType} at byte ${this.pos} is not one protobuf 3 writes`);
    }
  }

  private need(bytes: number): void {
    if (this.pos + bytes > this.end) throw new ProtobufError(`a field is cut short at byte ${this.pos}`);
    this.pos += bytes;
  }
}

/** Microseconds of a fixed64 nanosecond count, floored exactly (hi × 2^32 = hi × 4294967 µs + hi × 296 ns). */
export function fixed64Micros({ lo, hi }: { lo: number; hi: number }): number {
  return hi * 4294967 + Math.floor((hi * 296 + lo) / 1000);
}
