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

/** Where a request's lines went: its file and its number there. */
export interface Placement {
  file: string;
  request: number;
}

/** Refused requests remembered for their resend, at most; the oldest are forgotten first. */
const MAX_REFUSED = 10_000;

export class ProtocolFiles {
  private next = 0;
  /** Bumped when the store refuses a batch: later requests go to new files (see refused()). */
  private generation = 0;
  /** The highest request number placed in each file. */
  private readonly highest = new Map<string, number>();
  /** Placements of requests the store refused, by the request's digest. */
  private readonly refusedPlacements = new Map<string, Placement>();

  constructor(readonly incarnation: string = randomBytes(8).toString('hex')) {}

  /**
   * Numbers the batch and sets its file and journal header. Call it right before the store's
   * ingest, in the same turn: the store keeps calls in order, so offsets grow as stored.
   *
   * A resend of a request the store refused takes the refused request's place again when that is
   * still the last one in its file: if the refusal came after all (a ClickHouse insert that
   * committed as its answer timed out), its lines are then duplicates by the file's mark, else
   * they are stored. Once a later request shares the file, the resend is numbered anew.
   */
  place(batch: DecodedBatch, body: Pick<ProtocolBody, 'format' | 'encoding' | 'receivedAtMs' | 'sender'>, digest: string): Placement {
    let placement = this.refusedPlacements.get(digest);
    this.refusedPlacements.delete(digest);
    if (placement === undefined || this.highest.get(placement.file) !== placement.request) {
      const suffix = this.generation === 0 ? '' : `.${this.generation}`;
      placement = { file: `${PROTOCOL_OF[body.format]}@${this.incarnation}${suffix}`, request: this.next++ };
      // Forgetting only costs a resend its old place (it is numbered anew), never a line.
      if (this.highest.size >= MAX_REFUSED) this.highest.clear();
      this.highest.set(placement.file, placement.request);
    }
    placed(batch, body, placement.file, placement.request);
    return placement;
  }

  /**
   * The store refused the request placed at `placement`: it may have stored it nonetheless. New
   * requests go to new files from now on, so the refused one stays the last in its file and its
   * resend can take its place.
   */
  refused(digest: string, placement: Placement): void {
    this.generation++;
    if (this.refusedPlacements.size >= MAX_REFUSED) this.refusedPlacements.delete(this.refusedPlacements.keys().next().value!);
    this.refusedPlacements.set(digest, placement);
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
