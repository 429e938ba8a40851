// Every engine the server can run, opened as a test needs it: an empty data directory, a clock
// the test sets, maintenance only when the test calls it. Behaviour tests of the read API and
// ingest loop over ENGINES, so an engine added to config.ts runs them all.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadServerConfig, STORE_ENGINES, type StoreEngine } from '../config';
import { replayJournalRecord } from '../ingest/journal-replay';
import type { LogStorage } from '../store/log-storage';
import { openStorage } from '../store/open-storage';

export const ENGINES = STORE_ENGINES;

export interface TestStorageOptions {
  now?: () => number;
  queryTimeoutMs?: number;
  stopGraceMs?: number;
  retentionMs?: number | null;
  maxDiskBytes?: number | null;
  hotMaxRows?: number;
}

export async function openTestStorage(engine: StoreEngine, dataDir: string, options: TestStorageOptions = {}): Promise<LogStorage> {
  const config = loadServerConfig({
    LOGPOND_STORE: engine,
    LOGPOND_DATA_DIR: dataDir,
    LOGPOND_RETENTION: 'off',
    LOGPOND_MAX_DISK: 'off',
    ...(engine === 'clickhouse' ? { LOGPOND_CLICKHOUSE_URL: `chdb:${chdbDir()}` } : {}),
  });
  // chDB runs one directory per process: each store is a database of its own in it.
  if (config.clickhouse) config.clickhouse.database = `test_${process.pid}_${++databases}`;
  return openStorage(
    {
      ...config,
      queryTimeoutMs: options.queryTimeoutMs ?? 10_000,
      retentionMs: options.retentionMs ?? null,
      maxDiskBytes: options.maxDiskBytes ?? null,
      // Reads in these tests run one or a few at a time; the limits have tests of their own.
      readConcurrency: 64,
    },
    { replay: replayJournalRecord, now: options.now, background: false, stopGraceMs: options.stopGraceMs, hotMaxRows: options.hotMaxRows },
  );
}

/** The environment a server process needs to run `engine` with its data under `dataDir`. */
export function engineEnv(engine: StoreEngine, dataDir: string): Record<string, string> {
  return engine === 'clickhouse' ? { LOGPOND_STORE: engine, LOGPOND_CLICKHOUSE_URL: `chdb:${path.join(dataDir, 'clickhouse')}` } : { LOGPOND_STORE: engine };
}

let databases = 0;
let chdbDirectory: string | undefined;

/** Where test processes keep their chDB directories, one named by each process's pid. */
const CHDB_ROOT = path.join(os.tmpdir(), 'logpond-chdb');

/**
 * This process's chDB directory, removed when it exits. A test runner may end a worker without
 * an exit event: the directories of processes that are gone are removed here too.
 */
export function chdbDir(): string {
  if (!chdbDirectory) {
    mkdirSync(CHDB_ROOT, { recursive: true });
    for (const name of readdirSync(CHDB_ROOT)) {
      if (!isRunning(Number(name))) rmSync(path.join(CHDB_ROOT, name), { recursive: true, force: true });
    }
    const dir = path.join(CHDB_ROOT, String(process.pid));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    chdbDirectory = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return chdbDirectory;
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
