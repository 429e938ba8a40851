import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { criLine, makeTempDir } from '../test-support/temp-dir';
import { FileTailer, REMOVED_GRACE_MS, type TailedEntry } from './file-tailer';
import { TailPool } from './tail-pool';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let pool: TailPool;
const errors: string[] = [];
const finished: string[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
  errors.length = 0;
  finished.length = 0;
  pool = new TailPool({
    chunkBytes: 64 * 1024,
    createTailer: (p) =>
      new FileTailer({
        path: p,
        maxLineBytes: 1024,
        onError: (failed, kind) => errors.push(`${kind} ${path.basename(failed)}`),
        now: () => new Date(clock),
      }),
    onFinished: (p) => finished.push(path.basename(p)),
  });
});
afterEach(async () => {
  await pool.closeAll();
  await temp.remove();
});

/** Each turn a grace later than the one before: a deleted path is given up on its second look. */
let clock = Date.now();

async function turns(n: number): Promise<TailedEntry[]> {
  const entries: TailedEntry[] = [];
  for (let i = 0; i < n; i++) {
    clock += REMOVED_GRACE_MS;
    entries.push(...(await pool.readTurn()).entries);
  }
  return entries;
}

describe('TailPool', () => {
  it('gives a quiet file its turn while another has a large backlog', async () => {
    const big = path.join(temp.dir, 'big.log');
    const quiet = path.join(temp.dir, 'quiet.log');
    await fs.writeFile(big, criLine('x'.repeat(200)).repeat(20_000)); // about 4.6 MiB
    await fs.writeFile(quiet, criLine('hello from the quiet one'));
    pool.add(big);
    pool.add(quiet);
    const firstRound = await turns(2);
    expect(firstRound.filter((e) => e.path === quiet).map((e) => e.message)).toEqual(['hello from the quiet one']);
    expect(firstRound.filter((e) => e.path === big).length).toBeLessThan(20_000);
  });

  it('reads backlogs in step by time: a file whose lines run ahead waits while the others catch up, a live file never does', async () => {
    // A week of lines in each: a sparse file crosses it in a few chunks, a dense one in many.
    const weekStart = Date.parse('2026-01-01T00:00:00Z');
    const lineAt = (ms: number, i: number) => `${new Date(ms).toISOString()} stdout F line ${i} ${'x'.repeat(200)}\n`;
    const week = 7 * 24 * 3_600_000;
    const sparse = path.join(temp.dir, 'sparse.log');
    const dense = path.join(temp.dir, 'dense.log');
    const live = path.join(temp.dir, 'live.log');
    await fs.writeFile(sparse, Array.from({ length: 2_000 }, (_, i) => lineAt(weekStart + (i * week) / 2_000, i)).join(''));
    await fs.writeFile(dense, Array.from({ length: 20_000 }, (_, i) => lineAt(weekStart + (i * week) / 20_000, i)).join(''));
    pool.add(sparse);
    pool.add(dense);
    pool.add(live);
    const newest = new Map<string, number>();
    let widest = 0;
    let liveSeen = false;
    for (let turn = 0; turn < 1_000 && (newest.get(dense) ?? 0) < weekStart + week - 3_600_000; turn++) {
      if (turn === 20) await fs.writeFile(live, lineAt(Date.now(), 0));
      const read = await pool.readTurn();
      for (const entry of read.entries) {
        newest.set(entry.path, Date.parse(entry.ts));
        if (entry.path === live) liveSeen = true;
      }
      if (newest.has(sparse) && newest.has(dense)) widest = Math.max(widest, newest.get(sparse)! - newest.get(dense)!);
    }
    expect(newest.get(dense)).toBeGreaterThan(weekStart + week - 3_600_000);
    // One chunk of the sparse file spans about 21 hours; read in turns alone it ran days ahead.
    expect(widest).toBeLessThan(24 * 3_600_000);
    expect(liveSeen).toBe(true);
  });

  it('keeps reading other files when one cannot be read or vanished', async () => {
    const good = path.join(temp.dir, 'good.log');
    await fs.mkdir(path.join(temp.dir, 'bad.log'));
    await fs.writeFile(good, criLine('one'));
    pool.add(path.join(temp.dir, 'bad.log'));
    pool.add(path.join(temp.dir, 'gone.log'));
    pool.remove(path.join(temp.dir, 'gone.log'));
    pool.add(good);

    expect((await turns(3)).map((e) => e.message)).toEqual(['one']);
    await fs.appendFile(good, criLine('two'));
    expect((await turns(3)).map((e) => e.message)).toEqual(['two']);
    expect(errors).toEqual(['file_open bad.log']);
    expect(finished).toEqual(['gone.log']);
    expect(pool.paths().map((p) => path.basename(p))).toEqual(['bad.log', 'good.log']);
  });

  it('reads a file deleted in the middle of its backlog to the end', async () => {
    const file = path.join(temp.dir, 'deleted.log');
    await fs.writeFile(file, Array.from({ length: 2000 }, (_, i) => criLine(`line ${i} ${'y'.repeat(100)}`)).join(''));
    pool.add(file);
    const entries = await turns(1);
    expect(entries.length).toBeLessThan(2000);
    await fs.unlink(file);
    pool.remove(file);
    while (pool.size > 0) entries.push(...(await turns(1)));
    expect(entries.map((e) => e.message.split(' ')[1])).toEqual(Array.from({ length: 2000 }, (_, i) => String(i)));
    expect(finished).toEqual(['deleted.log']);
  });
});
