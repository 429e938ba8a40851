// Runs the collector as `npm run collector` and the image do (collector/main.ts bundled into
// dist/collector.mjs) in a child process, so a test can SIGKILL it and measure its memory as
// the kernel sees it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildCollector, COLLECTOR_ENV, COLLECTOR_NODE_FLAGS } from '../../scripts/build-collector.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RSS_POLL_MS = 100;

export interface CollectorProcess {
  child: ChildProcess;
  output: () => string;
  /** The highest resident set size seen so far, in bytes (sampled every 100 ms). */
  peakRss: () => number;
  /** The resident set size now, in bytes. */
  rss: () => number;
  resetPeak: () => void;
  /** SIGKILL: a crash, no flush, no checkpoint save. */
  kill: () => Promise<void>;
  /** SIGTERM and wait for the exit code. */
  stop: () => Promise<number | null>;
}

let built: string | undefined;

/** The bundle, built once per test process (a build takes about a second; tests start several). */
function bundle(): string {
  built ??= buildCollector();
  return built;
}

/** `cpu` pins the process and all its threads (zlib's too) to that core with taskset. */
export function startCollectorProcess(env: Record<string, string>, options: { cpu?: number } = {}): CollectorProcess {
  // LOGPOND_COLLECTOR_NODE_ARGS adds Node flags, e.g. `--cpu-prof` to profile a bench run.
  const extra = process.env.LOGPOND_COLLECTOR_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const node = [process.execPath, ...COLLECTOR_NODE_FLAGS, ...extra, bundle()];
  const command = options.cpu === undefined ? node : ['taskset', '-c', String(options.cpu), ...node];
  const child = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...COLLECTOR_ENV, LOGPOND_DEMO: '0', LOGPOND_COLLECTOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let peak = 0;
  const rss = () => residentBytes(child.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), RSS_POLL_MS);
  void exited.then(() => clearInterval(sampler));
  return {
    child,
    output: () => output,
    peakRss: () => peak,
    rss,
    resetPeak: () => (peak = rss()),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** VmRSS of a process from /proc; 0 once it is gone. */
export function residentBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? 0 : Number(kib) * 1024;
  } catch {
    return 0;
  }
}
