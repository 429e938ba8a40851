// Body bytes → a batch the store can append: gunzip within the limit, parse, validate, extract.
// Pure and synchronous so a worker thread can run it (see decode-pool.ts).
import zlib from 'node:zlib';
import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { DecodedBatch } from './decoded-batch';
import { extract } from './extract';
import { validateBatch } from './validate-batch';

export function decodeBatch(raw: Uint8Array, encoding: string, limitBytes: number): DecodedBatch {
  const text = inflate(raw, encoding, limitBytes).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`the body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
  const { collector, sources, entries } = validateBatch(body);
  const n = entries.length;
  const columns: DecodedBatch['entries'] = {
    length: n,
    source: new Array(n),
    file: new Array(n),
    offset: new Array(n),
    ts: new BigInt64Array(n),
    stream: new Array(n),
    level: new Array(n),
    message: new Array(n),
    fields: new Array(n),
    truncated: new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const e = entries[i];
    const { level, fields } = extract(e.message);
    columns.source[i] = e.source;
    columns.file[i] = e.file;
    columns.offset[i] = e.offset;
    columns.ts[i] = e.tsMicros;
    columns.stream[i] = e.stream;
    columns.level[i] = level;
    columns.message[i] = e.message;
    columns.fields[i] = fields === null ? null : JSON.stringify(fields);
    columns.truncated[i] = e.truncated;
  }
  return { collector, sources, entries: columns };
}

function inflate(raw: Uint8Array, encoding: string, limitBytes: number): Buffer {
  const buffer = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  if (encoding === 'identity') {
    if (buffer.byteLength > limitBytes) throw new PayloadTooLargeError(limitBytes);
    return buffer;
  }
  if (encoding !== 'gzip') {
    throw new BadRequestError(`unsupported Content-Encoding "${encoding}" (use gzip or none)`, 'invalid_encoding');
  }
  try {
    return zlib.gunzipSync(buffer, { maxOutputLength: limitBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(limitBytes);
    }
    throw new BadRequestError(`the body is not valid gzip: ${(err as Error).message}`, 'invalid_encoding');
  }
}
