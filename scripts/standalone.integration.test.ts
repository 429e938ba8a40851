// What the image runs, run here without a container engine: .next/standalone (Next's traced
// output) with our server entry, logpond-server.mjs, and the collector bundle beside it, from
// that directory alone, against a temp data dir. A line written to a log file must come back
// from the search route, the page and its static assets must load, and SIGTERM must end it.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@/server/testing/server-process';
import { tempDir } from '@/server/testing/temp-dir';
import { buildIsStale } from './build-if-needed';
import { STANDALONE_DIR } from './build-standalone.mjs';
import { compressSync } from 'snappy';
import { varint } from '../bench/protocol-bodies';

/** A Loki PushRequest of one line, written by hand: streams { labels, entries { timestamp, line } }. */
function lokiRequest(): Buffer {
  const field = (tag: number, bytes: Buffer) => Buffer.concat([Buffer.from([tag, bytes.length]), bytes]);
  const seconds = Math.floor(Date.now() / 1000);
  const entry = field(0x12, Buffer.concat([field(0x0a, Buffer.concat([Buffer.from([0x08]), varint(seconds)])), field(0x12, Buffer.from('shipper line pushed 9c2e'))]));
  return field(0x0a, Buffer.concat([field(0x0a, Buffer.from('{namespace="shop", pod="api-2"}')), entry]));
}

/** A copy of the standalone output outside the repository, so nothing resolves from node_modules here. */
let appDir: string;

const TOKEN = 'standalone-test-token';
let dir: string;
let cleanup: () => Promise<void>;
let url: string;
const children: ChildProcess[] = [];
const outputs: string[] = [];

/** The image runs Node 24; LOGPOND_IMAGE_NODE points at such a binary to check with it. */
const NODE = process.env.LOGPOND_IMAGE_NODE ?? process.execPath;

function run(script: string, env: Record<string, string>): ChildProcess {
  // Only what the image has: no tsx, no repository around it (cwd is the standalone dir).
  const child = spawn(NODE, [script], { cwd: appDir, env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const at = outputs.push('') - 1;
  child.stdout!.on('data', (d) => (outputs[at] += d));
  child.stderr!.on('data', (d) => (outputs[at] += d));
  children.push(child);
  return child;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${outputs.join('\n---\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (buildIsStale() || !(await fs.stat(path.join(STANDALONE_DIR, 'logpond-server.mjs')).catch(() => undefined))) {
    throw new Error('the standalone build is missing or older than the sources: run `npm run build` (`npm test` does it for you)');
  }
  ({ dir, cleanup } = await tempDir());
  await fs.mkdir(path.join(dir, 'logs'));
  appDir = path.join(dir, 'app');
  await fs.cp(STANDALONE_DIR, appDir, { recursive: true, verbatimSymlinks: true });
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // One decode worker: the image must run it without tsx (scripts/build-standalone.mjs bundles it).
  run('logpond-server.mjs', { PORT: String(port), LOGPOND_HOST: '127.0.0.1', LOGPOND_DATA_DIR: path.join(dir, 'data'), LOGPOND_INGEST_TOKEN: TOKEN, LOGPOND_INGEST_WORKERS: '1' });
  await until('the standalone server', async () => ((await fetch(`${url}/api/healthz`)).ok ? true : undefined));
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await cleanup?.();
});

describe('the standalone output (what the image runs)', () => {
  it('serves the page and its static assets', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const asset = /\/_next\/static\/[^"']+\.js/.exec(html)?.[0];
    expect(asset).toBeDefined();
    expect((await fetch(`${url}${asset}`)).status).toBe(200);
  });

  it('takes lines from the bundled collector with the token, and refuses ingest without it', async () => {
    const logs = path.join(dir, 'logs');
    await fs.writeFile(path.join(logs, 'web-1_shop_nginx-0123456789ab.log'), `${new Date().toISOString()} stdout F standalone round trip 7f3a\n`);
    run('dist/collector.mjs', {
      LOGPOND_LOG_DIR: logs,
      LOGPOND_DEMO: '0',
      LOGPOND_SERVER_URL: url,
      LOGPOND_INGEST_TOKEN: TOKEN,
      LOGPOND_CHECKPOINT: path.join(dir, 'checkpoint.json'),
      LOGPOND_COLLECTOR_PORT: '0',
      LOGPOND_NODE_NAME: 'node-1',
    });
    const hit = await until('the line at the server', async () => {
      const body = (await (await fetch(`${url}/api/search?q=${encodeURIComponent('"round trip 7f3a"')}&from=now-1h`)).json()) as { hits: Array<{ message: string; source: string }>; sources: Record<string, { pod: string }> };
      return body.hits.length > 0 ? body : undefined;
    });
    expect(hit.hits[0].message).toBe('standalone round trip 7f3a');
    expect(Object.values(hit.sources).map((s) => s.pod)).toEqual(['web-1']);
    expect(outputs[0], outputs[0]).not.toMatch(/decode worker/i);
    const refused = await fetch(`${url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
  });

  it('takes a shipper\'s Loki push (protobuf + snappy) through the bundled decode worker', async () => {
    const push = await fetch(`${url}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', authorization: `Basic ${Buffer.from(`alloy:${TOKEN}`).toString('base64')}` },
      body: new Uint8Array(compressSync(lokiRequest())),
    });
    expect(push.status).toBe(204);
    const body = (await (await fetch(`${url}/api/search?q=${encodeURIComponent('"pushed 9c2e"')}&from=now-1h`)).json()) as { hits: Array<{ message: string; source: string }>; sources: Record<string, { pod: string }> };
    expect(body.hits.map((h) => [h.message, body.sources[h.source].pod])).toEqual([['shipper line pushed 9c2e', 'api-2']]);
    expect(outputs[0], outputs[0]).not.toMatch(/decode worker/i);
  });

  it('stops cleanly on SIGTERM', async () => {
    const server = children[0];
    const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
