// The hot tier's durability. Hot tables live in an in-memory DuckDB database; every group of
// batches the writer stores is also appended here and synced before its transaction commits, so
// an acknowledged batch survives a crash: the next open replays the journals into the hot
// tables and seals them. A journal is deleted once the hot table it belongs to is sealed.
//
// Why not DuckDB's own WAL for hot rows: every commit serialized its rows into the WAL, and at
// the checkpoint threshold a commit stalled to compress whatever was hot into the database file,
// which never shrinks. bench:ingest, 5 M entries: 178-184k entries/s and 40 s of server CPU with
// the hot tables in the file, 193-203k and 34-36 s in memory.
//
// A record is one batch's body as it came over the wire (gzip as a rule): 3.2 times fewer bytes
// than its decoded columns (measured: 437 MB against 1.4 GB for 5 M entries, whose writing cost
// the server 4-5 s of CPU), and decoded again only on replay.
//   u32 byte length of the rest · u32 CRC-32 of the rest · u8 length of the encoding name ·
//   the encoding name (`gzip`, `identity`) · the body
// Little-endian. A record that is cut short or fails its CRC ends the journal: it can only be the
// last one, being written when the process died, and its batch was never acknowledged.
import type { JournalReplay } from '../log-storage';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DecodedBatch, WireBody } from '../../ingest/decoded-batch';
import { syncFile } from './sync-file';

const SUFFIX = '.journal';
const HEAD_BYTES = 8;

/** A record's pieces, ready for writev. */
export type { JournalReplay };

export function encodeRecord({ body, encoding }: WireBody): Uint8Array[] {
  const name = Buffer.from(encoding, 'latin1');
  const head = Buffer.alloc(HEAD_BYTES + 1);
  head.writeUInt32LE(1 + name.length + body.byteLength, 0);
  head[HEAD_BYTES] = name.length;
  let crc = zlib.crc32(head.subarray(HEAD_BYTES));
  crc = zlib.crc32(name, crc);
  crc = zlib.crc32(body, crc);
  head.writeUInt32LE(crc, 4);
  return [head, name, body];
}

/** The bodies in a journal's bytes, up to the first record that is cut short or damaged. */
export function decodeRecords(bytes: Buffer): { bodies: WireBody[]; damagedBytes: number } {
  const bodies: WireBody[] = [];
  let at = 0;
  while (at + HEAD_BYTES < bytes.length) {
    const end = at + HEAD_BYTES + bytes.readUInt32LE(at);
    if (end > bytes.length || zlib.crc32(bytes.subarray(at + HEAD_BYTES, end)) !== bytes.readUInt32LE(at + 4)) break;
    const nameEnd = at + HEAD_BYTES + 1 + bytes[at + HEAD_BYTES];
    if (nameEnd > end) break;
    // Copied out: a view would keep the whole journal's buffer alive.
    bodies.push({ encoding: bytes.toString('latin1', at + HEAD_BYTES + 1, nameEnd), body: Uint8Array.prototype.slice.call(bytes, nameEnd, end) });
    at = end;
  }
  return { bodies, damagedBytes: bytes.length - at };
}

/** An open journal, appended to by the writer. */
export class Journal {
  /** Bytes of whole records in the file. */
  private size = 0;
  /** Set when a failed append could not be undone: later records would sit behind a damaged one. */
  private broken: Error | null = null;

  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
  ) {}

  /** Creates journal number `sequence` in `directory`, durably (the directory entry is synced). */
  static async create(directory: string, sequence: number): Promise<Journal> {
    await fs.mkdir(directory, { recursive: true });
    const file = path.join(directory, `${String(sequence).padStart(12, '0')}${SUFFIX}`);
    const handle = await fs.open(file, 'a');
    await syncFile(directory);
    return new Journal(file, handle);
  }

  /**
   * Appends the batches and returns once they are on disk, with the journal's size before them
   * (for retract); one call at a time.
   */
  async append(batches: readonly DecodedBatch[]): Promise<number> {
    if (this.broken) throw new Error(`the journal cannot be written: ${this.broken.message}`);
    const pieces = batches.flatMap((batch) => encodeRecord(batch.wire));
    const bytes = pieces.reduce((n, p) => n + p.byteLength, 0);
    const before = this.size;
    try {
      await this.handle.writev(pieces);
      await this.handle.datasync();
    } catch (err) {
      // Whatever part reached the file is cut off again, or replay would stop at it.
      await this.retract(before);
      throw err;
    }
    this.size += bytes;
    return before;
  }

  /**
   * Cuts off the records after `size` bytes: their batches were refused, and a replay must not
   * store them. A shipper's resend of a refused request is numbered anew (ingest/protocols/
   * protocol-file.ts), so a replayed record would store its lines twice. If the cut fails, the
   * journal takes no more records.
   */
  async retract(size: number): Promise<void> {
    try {
      await this.handle.truncate(size);
      await this.handle.datasync();
      this.size = size;
    } catch (err) {
      this.broken = err as Error;
    }
  }

  get bytes(): number {
    return this.size;
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  /** Closes and deletes the journal: every row in it is sealed. */
  async remove(): Promise<void> {
    await this.close();
    await fs.rm(this.file, { force: true });
  }
}

/** The journals in `directory`, oldest first, with their sequence numbers. */
export async function listJournals(directory: string): Promise<{ sequence: number; file: string }[]> {
  const names = await fs.readdir(directory).catch(() => [] as string[]);
  return names
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => ({ sequence: Number(name.slice(0, -SUFFIX.length)), file: path.join(directory, name) }))
    .filter((j) => Number.isSafeInteger(j.sequence))
    .sort((a, b) => a.sequence - b.sequence);
}

