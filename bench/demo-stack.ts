// The demo stack the browser benches measure: the real server on a temp data dir and a demo
// collector writing and shipping its 24-hour backfill (about 265,000 lines arrive: the busiest
// demo file rotates during the backfill, and a collector reads only the current file, as on a node).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumPath } from '../e2e/chromium';
import { buildIfNeeded } from '../scripts/build-if-needed';
import { freePort, startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

const ROOT = path.resolve(import.meta.dirname, '..');

export const log = (message: string) => process.stderr.write(`${message}\n`);

export async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The fastest of `times`, and their median. */
export function best(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  return `${sorted[0].toFixed(0)} ms (median ${sorted[sorted.length >> 1].toFixed(0)} ms)`;
}

export interface DemoStack {
  url: string;
  browser: Browser;
  stop(): Promise<void>;
}

/** Builds if needed, starts the server, the demo collector at `rate` lines/s and Chromium, and waits for the backfill. */
export async function startDemoStack(rate: string): Promise<DemoStack> {
  buildIfNeeded();
  const { dir, cleanup } = await tempDir('logpond-bench-demo-');
  const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
  let collector: ChildProcess | undefined;
  let browser: Browser | undefined;
  const stop = async () => {
    await browser?.close();
    // Its checkpoint is written on the way out: the directory goes once it has exited.
    if (collector && collector.exitCode === null) {
      const exited = new Promise((resolve) => collector!.once('exit', resolve));
      collector.kill('SIGTERM');
      await exited;
    }
    await server.stop();
    await cleanup();
  };
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--enable-precise-memory-info'],
    });
    collector = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'collector', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOGPOND_DATA_DIR: dir,
        LOGPOND_SERVER_URL: server.url,
        LOGPOND_DEMO: '1',
        LOGPOND_DEMO_RATE: rate,
        LOGPOND_COLLECTOR_PORT: String(await freePort()),
      },
      stdio: 'ignore',
    });
    log('waiting for the demo backfill…');
    await waitFor(async () => ((await (await fetch(`${server.url}/api/status`)).json()) as { entries: number }).entries >= 250_000, 'the backfill', 180_000);
    return { url: server.url, browser, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
