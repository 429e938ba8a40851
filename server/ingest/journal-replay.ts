// What the store's journal holds is a batch's body as it arrived; at start the store hands each one
// back here to be decoded as when it was taken (store/duckdb/journal.ts, JournalReplay).
import { constants } from 'node:buffer';
import type { DecodedBatch } from './decoded-batch';
import { decodeBatch } from './decode-batch';
import { isProtocolRecord, replayProtocolRecord } from './protocols/protocol-file';

/** Any size: the record was accepted under whatever LOGPOND_MAX_BATCH was then. */
export function replayJournalRecord(body: Uint8Array, encoding: string): DecodedBatch {
  if (isProtocolRecord(encoding)) return replayProtocolRecord(body, encoding);
  return decodeBatch(body, encoding, constants.MAX_LENGTH);
}
