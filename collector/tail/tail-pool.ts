// The set of followed files, read in turns: each turn reads one bounded chunk from the next
// file in round-robin order, so a file with a gigabyte of backlog gets one chunk per round like
// everyone else and a quiet file's new line waits at most one round.
//
// Backlogs are read in step by time: a file with a backlog whose last line read is more than
// CATCH_UP_WINDOW_MS ahead of the backlog furthest behind skips its turns until that one catches
// up. Read in turns alone, a file with few lines an hour crossed a week in a few chunks while a
// busy one took hundreds, so every batch of a backfill held lines of the whole week: each seal
// wrote a file for each of its ~160 hours, and the server held them all open at once. A file
// without a backlog (live, or caught up) is never held back.
import { FileTailer, type TailedEntry, type TailRead } from './file-tailer';

/** How far ahead in time a file's backlog may be read of the backlog furthest behind. */
export const CATCH_UP_WINDOW_MS = 10 * 60_000;

/** Bytes read from one file per turn: large enough for throughput (measured: 64 KiB reads as fast as 256 KiB), small enough for fairness and for what one turn keeps alive. */
export const READ_CHUNK_BYTES = 64 * 1024;

export interface TailTurn {
  entries: TailedEntry[];
  bytes: number;
  lines: number;
  /** The path read this turn, when there was one. */
  path: string | undefined;
}

export interface TailPoolOptions {
  createTailer: (path: string) => FileTailer;
  /** A file was deleted and fully read; its tailer is gone. */
  onFinished?: (path: string) => void;
  chunkBytes?: number;
}

export class TailPool {
  private readonly byPath = new Map<string, FileTailer>();
  private order: string[] = [];
  private cursor = 0;
  private readonly chunkBytes: number;
  /** Files whose last turn filled its chunk (a backlog): the time of the last line read, ms. */
  private readonly backlogAt = new Map<string, number>();

  constructor(private readonly options: TailPoolOptions) {
    this.chunkBytes = options.chunkBytes ?? READ_CHUNK_BYTES;
  }

  get size(): number {
    return this.byPath.size;
  }

  has(path: string): boolean {
    return this.byPath.has(path);
  }

  paths(): string[] {
    return [...this.order];
  }

  tailers(): Iterable<FileTailer> {
    return this.byPath.values();
  }

  /** Follows the path; true when it was not followed yet. */
  add(path: string): boolean {
    const existing = this.byPath.get(path);
    if (existing) {
      existing.markPresent();
      return false;
    }
    this.byPath.set(path, this.options.createTailer(path));
    this.order.push(path);
    return true;
  }

  /** The path was deleted: its tailer reads what is left, then leaves the pool. */
  remove(path: string): void {
    this.byPath.get(path)?.markRemoved();
  }

  /** One chunk from the next file in turn that is not too far ahead (see CATCH_UP_WINDOW_MS). */
  async readTurn(): Promise<TailTurn> {
    if (this.order.length === 0) return { entries: [], bytes: 0, lines: 0, path: undefined };
    if (this.cursor >= this.order.length) this.cursor = 0;
    const behind = this.furthestBehind();
    for (let tried = 0; behind !== undefined && tried < this.order.length; tried++) {
      const at = this.backlogAt.get(this.order[this.cursor]);
      if (at === undefined || at - behind <= CATCH_UP_WINDOW_MS) break;
      this.cursor = (this.cursor + 1) % this.order.length;
    }
    const path = this.order[this.cursor];
    const tailer = this.byPath.get(path)!;
    let read: TailRead;
    try {
      read = await tailer.read(this.chunkBytes);
    } catch {
      // FileTailer.read reports its own failures; this only guards the rotation of turns.
      read = { entries: [], bytes: 0, lines: 0, done: false };
    }
    this.noteBacklog(path, read);
    if (read.done) this.drop(path);
    else this.cursor++;
    return { entries: read.entries, bytes: read.bytes, lines: read.lines, path };
  }

  private noteBacklog(path: string, read: TailRead): void {
    if (read.done || read.bytes < this.chunkBytes) {
      this.backlogAt.delete(path);
      return;
    }
    // A chunk inside one long line brings no entry: the file keeps the time it had.
    const last = read.entries[read.entries.length - 1];
    const at = last === undefined ? NaN : Date.parse(last.ts);
    if (!Number.isNaN(at)) this.backlogAt.set(path, at);
  }

  private furthestBehind(): number | undefined {
    let behind: number | undefined;
    for (const at of this.backlogAt.values()) if (behind === undefined || at < behind) behind = at;
    return behind;
  }

  async closeAll(): Promise<void> {
    const all = [...this.byPath.values()];
    this.byPath.clear();
    this.backlogAt.clear();
    this.order = [];
    await Promise.all(all.map((tailer) => tailer.close()));
  }

  private drop(path: string): void {
    this.byPath.delete(path);
    this.backlogAt.delete(path);
    const at = this.order.indexOf(path);
    if (at !== -1) this.order.splice(at, 1);
    // The cursor now points at the file after the dropped one, which is its turn.
    this.options.onFinished?.(path);
  }
}
