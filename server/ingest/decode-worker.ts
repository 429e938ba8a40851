// A decode worker: takes raw ingest bodies, answers decoded batches or the error to send back.
import { parentPort } from 'node:worker_threads';
import { isLogpondError } from '../errors';
import { decodeBatch } from './decode-batch';
import { transferablesOf } from './decoded-batch';
import { decodeProtocol, type ProtocolBody } from './protocols/decode-protocol';

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  encoding: string;
  limitBytes: number;
  /** Set for a shipper's request (OTLP, Loki push); absent for a collector's batch. */
  protocol?: Omit<ProtocolBody, 'bytes' | 'encoding' | 'limitBytes'>;
}

export type DecodeReply =
  | { id: number; batch: ReturnType<typeof decodeBatch> }
  | { id: number; error: { status: number; code: string; message: string } };

parentPort?.on('message', (request: DecodeRequest) => {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const { bytes, encoding, limitBytes, protocol } = request;
    const batch = protocol ? decodeProtocol({ ...protocol, bytes, encoding, limitBytes }) : decodeBatch(bytes, encoding, limitBytes);
    reply = { id: request.id, batch };
    // Moved, not copied: the batch's buffers are this thread's no more.
    transfer = transferablesOf(batch);
  } catch (err) {
    reply = isLogpondError(err)
      ? { id: request.id, error: { status: err.status, code: err.code, message: err.message } }
      : { id: request.id, error: { status: 500, code: 'internal', message: 'internal error' } };
  }
  parentPort!.postMessage(reply, transfer);
});
