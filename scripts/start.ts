// `npm start`: the whole of Logpond on one machine. Builds if needed, starts the server, waits
// until it answers, then starts a collector beside it (which writes demo logs when there are no
// container logs to read). Ctrl-C stops both; the data directory is kept for the next start.
// The children get their own process group, so Ctrl-C reaches only this script, which stops the
// collector first (it flushes its last batch to the server) and the server after it.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded } from './build-if-needed';
import { ensureChdb } from './ensure-chdb';
import { buildCollector, COLLECTOR_ENV, COLLECTOR_NODE_FLAGS } from './build-collector.mjs';
import { SERVER_NODE_FLAGS, serverEnv } from './node-flags';

// `npm start | head` must not end in a crash when head exits: the server and the collector carry
// on (they ignore a closed output too) and Ctrl-C still stops them cleanly.
for (const output of [process.stdout, process.stderr]) output.on('error', () => undefined);
const ROOT = path.resolve(import.meta.dirname, '..');
const port = process.env.PORT || '3000';
const host = process.env.LOGPOND_HOST || '127.0.0.1';
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function run(name: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', PORT: port, ...env },
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    console.error(`logpond: the ${name} stopped (${signal ?? `exit ${code}`}); stopping everything`);
    void stop(code ?? 1);
  });
  children.push({ name, child });
  return child;
}

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { child } of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  }
  process.exit(exitCode);
}

async function waitForServer(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && !stopping) {
    if (await fetch(`${url}/api/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer on ${url} within 2 minutes`);
}

/**
 * `LOGPOND_STORE=clickhouse npm start`: the demo on ClickHouse with nothing to install by hand —
 * ClickHouse embedded in the server (chDB, fetched on first use) under the data directory, unless
 * LOGPOND_CLICKHOUSE_URL names a server.
 */
function embeddedClickHouse(): void {
  if (process.env.LOGPOND_STORE?.trim().toLowerCase() !== 'clickhouse') return;
  // Its own directory: the collector's checkpoint there says what this store holds, not DuckDB's.
  process.env.LOGPOND_DATA_DIR ||= path.join('data', 'clickhouse-demo');
  if (!process.env.LOGPOND_CLICKHOUSE_URL?.trim()) {
    process.env.LOGPOND_CLICKHOUSE_URL = `chdb:${path.join(process.env.LOGPOND_DATA_DIR || './data', 'clickhouse')}`;
  }
  if (process.env.LOGPOND_CLICKHOUSE_URL.trim().startsWith('chdb:')) ensureChdb();
}

async function main(): Promise<void> {
  buildIfNeeded();
  embeddedClickHouse();
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  run('server', [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(ROOT, 'scripts', 'server.ts')], serverEnv());
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  await waitForServer(url);
  // The collector's health and metrics on the server's address too: a laptop's LAN sees neither
  // (a DaemonSet's collector keeps 0.0.0.0, for the kubelet's probes and Prometheus).
  run('collector', [...COLLECTOR_NODE_FLAGS, buildCollector()], { ...COLLECTOR_ENV, LOGPOND_COLLECTOR_HOST: process.env.LOGPOND_COLLECTOR_HOST || host });
  console.error(`\nlogpond: open http://localhost:${port} — Ctrl-C stops the server and the collector\n`);
}

// If this script dies without stopping them, do not leave the detached children behind.
process.on('exit', () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
});

main().catch((err) => {
  console.error(`logpond: ${(err as Error).message}`);
  void stop(1);
});
