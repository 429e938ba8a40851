// Runs the collector's real entry point (`npm run collector`: collector/main.ts) as a child
// process, so a test can SIGKILL it and measure its memory as the kernel sees it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

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

export function startCollectorProcess(env: Record<string, string>): CollectorProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'collector', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, LOGPOND_DEMO: '0', LOGPOND_COLLECTOR_PORT: '0', ...env },
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
