// A shipper's request body → a batch for the store: decompress within the limit, decode the
// protocol, map its records. Pure and synchronous, like decode-batch.ts, so a decode worker can
// run it; the caller then places the batch in its server's file (protocol-file.ts).
import { isUtf8 } from 'node:buffer';
import { BadRequestError } from '../../errors';
import { bodyText, inflate } from '../decode-batch';
import type { DecodedBatch } from '../decoded-batch';
import { EntryBuilder } from './entry-builder';
import { readLokiJson, readLokiProto } from './loki-push';
import { readOtlpJson } from './otlp-json';
import { readOtlpProto } from './otlp-proto';
import { ProtobufReader } from './protobuf-reader';
import { snappyDecompress } from './snappy';

export type Protocol = 'otlp' | 'loki';
export type ProtocolFormat = 'otlp-proto' | 'otlp-json' | 'loki-proto' | 'loki-json';

export const PROTOCOL_OF: Record<ProtocolFormat, Protocol> = {
  'otlp-proto': 'otlp',
  'otlp-json': 'otlp',
  'loki-proto': 'loki',
  'loki-json': 'loki',
};

export interface ProtocolBody {
  format: ProtocolFormat;
  bytes: Uint8Array;
  /** The Content-Encoding: `gzip`, `deflate`, `identity`, or (Loki protobuf) `snappy`. */
  encoding: string;
  limitBytes: number;
  maxLineBytes: number;
  receivedAtMs: number;
  /** Who sent it, for the status page's list (the User-Agent's first product). */
  sender: string;
}

export function decodeProtocol({ format, bytes, encoding, limitBytes, maxLineBytes, receivedAtMs, sender }: ProtocolBody): DecodedBatch {
  // A Loki client may say what every Loki protobuf body is anyway.
  const inflated = inflate(bytes, format === 'loki-proto' && encoding === 'snappy' ? 'identity' : encoding, limitBytes);
  const protocol = PROTOCOL_OF[format];
  const builder = new EntryBuilder(protocol === 'otlp' ? 'record' : 'line', receivedAtMs, maxLineBytes, inflated.byteLength);
  switch (format) {
    case 'otlp-proto':
      readOtlpProto(new ProtobufReader(inflated), builder);
      break;
    case 'loki-proto':
      readLokiProto(new ProtobufReader(snappyDecompress(inflated, limitBytes)), builder);
      break;
    case 'otlp-json':
      readOtlpJson(jsonOf(inflated), builder);
      break;
    case 'loki-json':
      readLokiJson(jsonOf(inflated), builder);
      break;
  }
  return builder.build({ id: `${protocol}:${sender}`, node: '' }, { body: bytes, encoding });
}

function jsonOf(bytes: Buffer): unknown {
  if (!isUtf8(bytes)) throw new BadRequestError('the body is not valid UTF-8', 'invalid_utf8');
  try {
    return JSON.parse(bodyText(bytes));
  } catch (err) {
    throw new BadRequestError(`the body is not valid JSON: ${(err as Error).message}`, 'invalid_json');
  }
}
