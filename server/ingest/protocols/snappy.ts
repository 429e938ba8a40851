// Snappy's block format, decompressed: Loki's push protocol (Alloy, Promtail, Vector) compresses
// its protobuf body with it. The format is small enough to read here, which spares a native
// addon; the output is bounded by the caller's limit before anything is allocated.
// Format: https://github.com/google/snappy/blob/main/format_description.txt
import { BadRequestError, PayloadTooLargeError } from '../../errors';

export class SnappyError extends BadRequestError {
  constructor(message: string) {
    super(`the body is not valid snappy (block format): ${message}`, 'invalid_encoding');
  }
}

export function snappyDecompress(input: Uint8Array, limitBytes: number): Buffer {
  let pos = 0;
  let length = 0;
  for (let shift = 1; ; shift *= 128) {
    if (pos >= input.length || shift > 2 ** 28) throw new SnappyError('the length preamble is cut short or too long');
    const byte = input[pos++];
    length += (byte & 0x7f) * shift;
    if (byte < 0x80) break;
  }
  if (length > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let size = tag >>> 2;
      if (size >= 60) {
        const extra = size - 59;
        if (pos + extra > input.length) throw new SnappyError(`a literal's length is cut short at byte ${pos}`);
        size = 0;
        for (let i = 0; i < extra; i++) size += input[pos + i] * 2 ** (8 * i);
        pos += extra;
      }
      size += 1;
      if (pos + size > input.length) throw new SnappyError(`a literal of ${size} bytes runs past the input at byte ${pos}`);
      if (at + size > length) throw new SnappyError('the data is longer than its preamble says');
      out.set(input.subarray(pos, pos + size), at);
      pos += size;
      at += size;
      continue;
    }
    let size: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= input.length) throw new SnappyError(`a copy is cut short at byte ${pos}`);
      size = 4 + ((tag >>> 2) & 7);
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      if (pos + 2 > input.length) throw new SnappyError(`a copy is cut short at byte ${pos}`);
      size = 1 + (tag >>> 2);
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > input.length) throw new SnappyError(`a copy is cut short at byte ${pos}`);
      size = 1 + (tag >>> 2);
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16)) + input[pos + 3] * 2 ** 24;
      pos += 4;
    }
    if (offset === 0 || offset > at) throw new SnappyError(`a copy reaches ${offset} bytes back from byte ${at} of the output`);
    if (at + size > length) throw new SnappyError('the data is longer than its preamble says');
    if (offset >= size) {
      out.copyWithin(at, at - offset, at - offset + size);
      at += size;
    } else {
      // Overlapping: the copy repeats what it is writing.
      for (let end = at + size; at < end; at++) out[at] = out[at - offset];
    }
  }
  if (at !== length) throw new SnappyError(`the data is ${at} bytes, its preamble says ${length}`);
  return out;
}
