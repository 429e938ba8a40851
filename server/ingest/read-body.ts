// Reads a request body within a byte limit, so a hostile or runaway client cannot make the
// server buffer more than the limit. Decompression is checked again in decode-batch.ts.
import { BadRequestError, PayloadTooLargeError } from '../errors';

export interface RawBody {
  bytes: Uint8Array;
  /** `identity` or the Content-Encoding as sent, lower-cased. */
  encoding: string;
}

export async function readBody(request: Request, limitBytes: number): Promise<RawBody> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read().catch((err: Error) => {
        throw new BadRequestError(`the request body could not be read: ${err.message}`, 'body_unreadable');
      });
      if (done) break;
      size += value.byteLength;
      if (size > limitBytes) {
        await reader.cancel().catch(() => undefined);
        throw new PayloadTooLargeError(limitBytes);
      }
      chunks.push(value);
    }
  }
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase() || 'identity';
  return { bytes: Buffer.concat(chunks), encoding };
}
