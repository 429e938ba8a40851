// `npm start` as a new user runs it: demo lines flow to the server, Ctrl-C stops everything,
// and a second start reuses the data without writing the history again.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LogStore } from '@/server/store/duckdb/log-store';
import { freePort } from '@/server/testing/server-process';
import { countEntries } from '@/server/store/duckdb/store-queries';
import { tempDir } from '@/server/testing/temp-dir';
import { replayJournalRecord } from '@/server/ingest/journal-replay';

const ROOT = path.resolve(import.meta.dirname, '..');
const BACKFILL = 20_000;
/** Entries the backfill's lines make: a stack trace's lines are one entry. */
const BACKFILL_ENTRIES = BACKFILL * 0.95;
let dir: string;
let cleanup: () => Promise<void>;
let running: ChildProcess | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  // Ctrl-C first: killed outright, `npm start` leaves its server and collector running (they are
  // detached, and a failed test left both behind, the server busy on a deleted data dir).
  const child = running;
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  await cleanup();
});

async function start(port: number, collectorPort = 0) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      LOGPOND_DATA_DIR: dir,
      LOGPOND_COLLECTOR_PORT: String(collectorPort),
      LOGPOND_DEMO_BACKFILL: String(BACKFILL),
      LOGPOND_DEMO_RATE: '50',
      LOGPOND_LOG_DIR: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  running = child;
  return { child, output: () => output };
}

async function entries(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/status`).catch(() => undefined);
  return response?.ok ? ((await response.json()) as { entries: number }).entries : -1;
}

async function waitFor(what: string, check: () => Promise<boolean>, output: () => string, ms = 120_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

it('shows demo lines flowing, stops on Ctrl-C, and a second start duplicates nothing', async () => {
  const port = await freePort();
  const collectorPort = await freePort();
  const firstStart = Date.now();
  const first = await start(port, collectorPort);
  await waitFor('the backfill to arrive', async () => (await entries(port)) >= BACKFILL_ENTRIES, first.output);
  // The collector's health and metrics stay on loopback like the server: a laptop's LAN sees neither.
  expect(first.output()).toContain(`health and metrics on http://127.0.0.1:${collectorPort}/healthz`);
  expect((await fetch(`http://127.0.0.1:${collectorPort}/healthz`)).ok).toBe(true);
  const afterBackfill = await entries(port);
  await waitFor('live lines', async () => (await entries(port)) > afterBackfill, first.output);
  expect(await interrupt(first.child)).toBe(0);
  expect(await entries(port)).toBe(-1); // the server is gone too

  let store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false });
  const history = await countEntries(store, 0, firstStart);
  const total = await countEntries(store);
  await store.close();
  expect(history).toBeGreaterThanOrEqual(BACKFILL_ENTRIES);

  const second = await start(port);
  await waitFor('lines after the restart', async () => (await entries(port)) > total, second.output);
  expect(await interrupt(second.child)).toBe(0);

  store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false });
  expect(await countEntries(store, 0, firstStart)).toBe(history);
  await store.close();
});
