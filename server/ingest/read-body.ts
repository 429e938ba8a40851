// Reads an ingest body within a byte limit, before and after gzip, so a hostile or runaway
// client cannot make the server buffer more than the limit.
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { BadRequestError, PayloadTooLargeError } from '../errors';

const gunzip = promisify(zlib.gunzip);

export async function readJsonBody(request: Request, limitBytes: number): Promise<unknown> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel().catch(() => undefined);
        throw new PayloadTooLargeError(limitBytes);
      }
      chunks.push(value);
    }
  }
  let body = Buffer.concat(chunks);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  if (encoding === 'gzip') {
    try {
      body = await gunzip(body, { maxOutputLength: limitBytes });
    } catch (err) {
      if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new PayloadTooLargeError(limitBytes);
      }
      throw new BadRequestError(`the body is not valid gzip: ${(err as Error).message}`, 'invalid_encoding');
    }
  } else if (encoding !== 'identity') {
    throw new BadRequestError(`unsupported Content-Encoding "${encoding}" (use gzip or none)`, 'invalid_encoding');
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new BadRequestError(`the body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
}
