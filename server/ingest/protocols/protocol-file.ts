// Where a shipper's lines sit in the store. The store keeps each line once by (source, file,
// offset), and a file's offsets must grow in the order batches are stored (its mark is the
// highest offset stored). A collector has real files; a shipper's request has none, so each server
// process gives every source one file of its own, `<protocol>@<incarnation>`, and numbers
// requests as it hands them to the store: request n's lines are offsets n × 2^17 + their index
// (a request holds at most MAX_BATCH_ENTRIES < 2^17 of them). A restart is a new incarnation, so
// a new file per source: nothing a server numbered can meet another's numbers.
//
// The journal keeps the body as it came and, in its encoding field, how it was placed; replay
// decodes it again and places it the same way, so a batch is stored once across a crash.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:buffer';
import type { DecodedBatch } from '../decoded-batch';
import { MAX_BATCH_ENTRIES } from '../valid-batch';
import { decodeProtocol, PROTOCOL_OF, type ProtocolBody, type ProtocolFormat } from './decode-protocol';

const REQUEST_STRIDE = 2 ** 17;
const JOURNAL_TAG = 'p1';
const FORMATS = new Set<string>(Object.keys(PROTOCOL_OF));

if (MAX_BATCH_ENTRIES >= REQUEST_STRIDE) throw new Error('a request would overrun its offsets');

export class ProtocolFiles {
  private next = 0;

  constructor(readonly incarnation: string = randomBytes(8).toString('hex')) {}

  /**
   * Numbers the batch and sets its file and journal header. Call it right before the store's
   * ingest, in the same turn: the store keeps calls in order, so offsets grow as stored.
   */
  place(batch: DecodedBatch, body: Pick<ProtocolBody, 'format' | 'encoding' | 'receivedAtMs' | 'sender'>): DecodedBatch {
    return placed(batch, body, `${PROTOCOL_OF[body.format]}@${this.incarnation}`, this.next++);
  }
}

function placed(batch: DecodedBatch, body: Pick<ProtocolBody, 'format' | 'encoding' | 'receivedAtMs' | 'sender'>, file: string, request: number): DecodedBatch {
  const { entries } = batch;
  entries.files[0] = file;
  const base = request * REQUEST_STRIDE;
  for (let i = 0; i < entries.length; i++) entries.offset[i] += base;
  batch.wire.encoding = [JOURNAL_TAG, body.format, body.encoding, body.receivedAtMs, file, request, encodeURIComponent(body.sender)].join(' ');
  return batch;
}

/** Whether a journal record holds a shipper's request (else a collector's batch). */
export function isProtocolRecord(encoding: string): boolean {
  return encoding.startsWith(`${JOURNAL_TAG} `);
}

/** A journalled request, decoded and placed as when it was taken; any size and line length. */
export function replayProtocolRecord(bytes: Uint8Array, header: string): DecodedBatch {
  const [tag, format, encoding, receivedAtMs, file, request, sender] = header.split(' ');
  if (tag !== JOURNAL_TAG || !FORMATS.has(format) || sender === undefined) throw new Error(`a journal record's header "${header}" is not one this version writes`);
  const body = { format: format as ProtocolFormat, encoding, receivedAtMs: Number(receivedAtMs), sender: decodeURIComponent(sender) };
  const batch = decodeProtocol({ ...body, bytes, limitBytes: constants.MAX_LENGTH, maxLineBytes: Infinity });
  return placed(batch, body, file, Number(request));
}
