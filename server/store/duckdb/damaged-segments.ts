// Files of the store that can no longer be read: a segment cut short or zeroed by a disk error or
// a restore, deleted from under the server, a token file that does not parse. Before, one such
// file failed every read of its hour, every free-text search across it and every round that
// tried to settle it, for good. Now the first statement that fails on it has the file checked,
// and one that is damaged leaves the store's way: a segment is set aside (its lines leave every
// count, its file moves to `damaged/` and the store reports it), a token file is dropped and its
// segments are read whole until maintenance indexes them again. Then the read is run again.
//
// A file is only condemned by reading it whole on a connection of its own, never on the word of
// an error alone: a statement can fail for reasons of its own (a timeout, a regex, memory).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { SerialQueue } from '../serial-queue';
import { type Segment, type Segments, tokensOf } from './segments';

/** Where set-aside segment files go, under the data directory; nothing there is ever deleted. */
export const DAMAGED_DIR = 'damaged';

/**
 * DuckDB's words for a file whose bytes are wrong, or that is not there. Most errors name the file
 * (then only that file is checked); some, like a footer that fails to parse, do not, and every
 * file the statement read is checked.
 */
const DAMAGE = /magic bytes|too small to be a Parquet file|No files found that match|No such file|Decompression failure|don't know what type|Corrupt|Invalid Error|Unexpected end/i;
/** What the machine lacks for a while: a file that fails so is not damaged, whatever else is said. */
const PASSING = /Too many open files|Out of Memory|memory limit|Interrupted|Permission denied|Resource temporarily unavailable|No space left/i;

/** Absolute paths quoted in an engine error message. */
export function filesNamedIn(message: string): string[] {
  return [...message.matchAll(/(['"])(\/[^'"\n]+)\1/g)].map((m) => m[2]);
}

export type FileCheck = { sound: true } | { sound: false; missing: boolean; reason: string } | { sound: null };

/**
 * Whether `file` reads whole: every value of every column, and `rows` of them when that is known.
 * `sound: null` when the check itself could not run (the machine out of file handles or memory,
 * a permission): nothing is condemned on that.
 */
export async function checkFile(connection: DuckDBConnection, file: string, rows: number | null): Promise<FileCheck> {
  const stat = await fs.stat(file).then(
    () => 'there',
    (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? 'missing' : 'unknown'),
  );
  if (stat === 'missing') return { sound: false, missing: true, reason: 'the file is missing' };
  if (stat === 'unknown') return { sound: null };
  try {
    // COLUMNS(*) makes every column read and decompressed, not only the row count in the footer.
    const [row] = (await connection.runAndReadAll(`SELECT count(*) AS n, sum(hash(COLUMNS(*))) FROM read_parquet($file)`, { file })).getRowObjectsJS();
    if (rows !== null && Number(row.n) !== rows) return { sound: false, missing: false, reason: `it holds ${row.n} entries where ${rows} were stored` };
    return { sound: true };
  } catch (err) {
    const reason = String((err as Error).message).split('\n')[0];
    return PASSING.test(reason) || !DAMAGE.test(reason) ? { sound: null } : { sound: false, missing: false, reason };
  }
}

/** The files a failed statement may have read: segments, and token files (absolute or relative paths). */
export interface ReadScope {
  segments: readonly Segment[];
  tokenFiles: readonly string[];
}

/** When an error names no file, at most this long is spent reading the files of its scope whole. */
const UNNAMED_CHECK_MS = 5_000;

export class DamagedSegments {
  /** Files read whole without a fault, by path, size and modification time (soundKey). */
  private readonly sound = new Set<string>();
  /** Segment files set aside since the store opened: a read that named one may be run again. */
  private readonly setAside = new Set<string>();
  private readonly queue = new SerialQueue();

  constructor(
    private readonly segments: Segments,
    /** A connection of its own for each check (the caller's may be in a failed transaction). */
    private readonly connect: () => Promise<DuckDBConnection>,
    /** Where set-aside files go (DAMAGED_DIR under the data directory). */
    readonly directory: string,
  ) {}

  /**
   * After a statement that read `scope` failed with `err`: sets aside the damaged segments among
   * the files the error names, or, when it names none but sounds like damage, among `scope`; drops
   * damaged token files. Answers whether the store changed, so the statement can run again on it.
   */
  check(err: unknown, scope: ReadScope): Promise<boolean> {
    if (!(err instanceof Error) || PASSING.test(err.message)) return Promise.resolve(false);
    const named = filesNamedIn(err.message);
    // Most failures are not about files (a regex, memory): they do not wait for a check.
    if (named.length === 0 && !DAMAGE.test(err.message)) return Promise.resolve(false);
    return this.queue.run(async () => {
      // Files retired meanwhile (merged, dropped) stay on disk until the check ends: not "missing".
      const letGo = this.segments.retirement.hold();
      try {
        return await this.checkNow(named, scope);
      } finally {
        letGo();
      }
    });
  }

  private absolute(file: string): string {
    return path.isAbsolute(file) ? file : path.join(this.segments.directory, file);
  }

  private async checkNow(named: readonly string[], scope: ReadScope): Promise<boolean> {
    if (named.some((file) => this.setAside.has(file))) return true;
    const catalogued = new Map(this.segments.list().map((s) => [this.absolute(s.path), s]));
    const tokenFiles = new Map<string, string>();
    for (const s of this.segments.list()) if (s.indexed) tokenFiles.set(this.absolute(tokensOf(s)), tokensOf(s));

    let suspects = named.flatMap((file) => catalogued.get(file) ?? []);
    let tokenSuspects = named.filter((file) => tokenFiles.has(file));
    let deadline = Infinity;
    if (named.length === 0) {
      // A file found sound once is not read whole again for the next error that names none.
      suspects = [...new Set(scope.segments.flatMap((s) => catalogued.get(this.absolute(s.path)) ?? []))];
      tokenSuspects = [...new Set(scope.tokenFiles.map((file) => this.absolute(file)))].filter((file) => tokenFiles.has(file));
      deadline = Date.now() + UNNAMED_CHECK_MS;
    }
    const connection = await this.connect();
    try {
      // Token files first: small, and a lookup reads them before any segment.
      let changed = false;
      for (const file of tokenSuspects) {
        if (Date.now() > deadline) break;
        const check = await this.checked(connection, file, null, named.length === 0);
        if (check.sound !== false) continue;
        const unindexed = await this.segments.distrustTokens(tokenFiles.get(file)!);
        if (unindexed === 0) continue;
        changed = true;
        console.error(`logpond: dropped the damaged token file ${tokenFiles.get(file)}: ${check.reason}; ${unindexed === 1 ? 'its segment is' : `its ${unindexed} segments are`} read whole until indexed again`);
      }
      const damaged: { segment: Segment; reason: string; missing: boolean }[] = [];
      for (const segment of suspects) {
        if (Date.now() > deadline) break;
        const check = await this.checked(connection, this.absolute(segment.path), segment.rows, named.length === 0);
        if (check.sound === false) damaged.push({ segment, reason: check.reason, missing: check.missing });
      }
      for (const { segment, reason, missing } of await this.segments.setAside(damaged, this.directory)) {
        changed = true;
        this.setAside.add(this.absolute(segment.path));
        const kept = missing ? 'there is no file to keep' : `the file is kept in ${path.join(this.directory, segment.path)}`;
        console.error(
          `logpond: set aside the damaged segment ${segment.path} (${segment.rows} entries, ${isoOf(segment.minTs)} to ${isoOf(segment.maxTs)}): ${reason}; its lines leave every count, and ${kept}`,
        );
      }
      return changed;
    } finally {
      connection.closeSync();
    }
  }

  /** checkFile, skipping (when `remembered`) a file found sound before and not changed since. */
  private async checked(connection: DuckDBConnection, file: string, rows: number | null, remembered: boolean): Promise<FileCheck> {
    const key = await soundKey(file);
    if (remembered && key !== null && this.sound.has(key)) return { sound: true };
    const check = await checkFile(connection, file, rows);
    if (check.sound && key !== null) this.sound.add(key);
    return check;
  }
}

async function soundKey(file: string): Promise<string | null> {
  const stat = await fs.stat(file).catch(() => null);
  return stat ? `${file}\n${stat.size}\n${stat.mtimeMs}` : null;
}

function isoOf(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString();
}
