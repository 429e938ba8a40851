// Exactly once on ClickHouse, tried as the collector's own tests try it: the real collector
// killed with SIGKILL at random moments and restarted while its files grow, sending through a
// balancer that alternates between two Logpond servers on one ClickHouse (so a retry lands on the
// other replica), each refusing bodies over 64 KiB (so the collector splits on 413). Every line
// must be stored exactly once.
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from '../../../collector/test-support/collector-process';
import { type ServerProcess, startServer } from '../../testing/server-process';
import { chdbDir } from '../../testing/storage';
import { tempDir } from '../../testing/temp-dir';
import { type ClickHouseHttp, serveClickHouse } from './chdb-http-server';

const FILES = ['web-1_shop_nginx-aaaa0001.log', 'api-0_payments_api-bbbb0003.log', 'worker-0_jobs_celery-cccc0004.log'];
const PER_FILE = 6_000;

let clickhouse: ClickHouseHttp;
let dir: string;
let cleanup: () => Promise<void>;
const servers: ServerProcess[] = [];
let balancer: http.Server;
const collectors: CollectorProcess[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  clickhouse = await serveClickHouse(chdbDir());
  for (const name of ['a', 'b']) {
    servers.push(
      await startServer({
        LOGPOND_STORE: 'clickhouse',
        LOGPOND_CLICKHOUSE_URL: `${clickhouse.url}/exactly_once`,
        LOGPOND_DATA_DIR: path.join(dir, name),
        LOGPOND_DEMO: '0',
        LOGPOND_MAX_BATCH: '64KiB',
      }),
    );
  }
  balancer = await roundRobin(servers.map((s) => s.url));
}, 120_000);
afterAll(async () => {
  await Promise.all(collectors.map((c) => c.kill()));
  balancer?.close();
  await Promise.all(servers.map((s) => s.stop()));
  await clickhouse?.close();
  await cleanup?.();
});

/** An HTTP balancer that sends each request to the next server in turn, as a Service may. */
function roundRobin(targets: string[]): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((request, response) => {
    const target = new URL(request.url ?? '/', targets[next++ % targets.length]);
    const forward = http.request(target, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    forward.on('error', () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(forward);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

it('stores every line once through kills, 413 splits and retries that land on the other replica', async () => {
  const logDir = path.join(dir, 'containers');
  await fs.mkdir(logDir);
  const url = `http://127.0.0.1:${(balancer.address() as AddressInfo).port}`;
  const start = () => {
    const child = startCollectorProcess({ LOGPOND_LOG_DIR: logDir, LOGPOND_SERVER_URL: url, LOGPOND_CHECKPOINT: path.join(dir, 'checkpoint.json'), LOGPOND_NODE_NAME: 'node-1' });
    collectors.push(child);
    return child;
  };
  const pad = 'x'.repeat(200);
  let written = 0;
  for (const name of FILES) await fs.writeFile(path.join(logDir, name), '');
  const writer = (async () => {
    for (; written < PER_FILE; written += 100) {
      await Promise.all(
        FILES.map((name, f) => fs.appendFile(path.join(logDir, name), Array.from({ length: 100 }, (_, i) => `${new Date().toISOString()} stdout F f${f} ${written + i} ${pad}\n`).join(''))),
      );
      await new Promise((r) => setTimeout(r, 120));
    }
  })();
  for (let kill = 0; kill < 3; kill++) {
    const child = start();
    await new Promise((r) => setTimeout(r, 800 + Math.random() * 800));
    await child.kill();
  }
  expect(written).toBeLessThan(PER_FILE); // the kills landed while the files grew
  await writer;
  const last = start();
  const total = PER_FILE * FILES.length;
  let stored: string[] = [];
  const deadline = Date.now() + 90_000;
  while (stored.length < total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 1_000));
    stored = await everyMessage(servers[stored.length % 2].url);
  }
  expect(await last.stop()).toBe(0);
  const seen = new Map<string, number>();
  for (const message of stored) {
    const [file, n] = message.split(' ');
    seen.set(`${file} ${n}`, (seen.get(`${file} ${n}`) ?? 0) + 1);
  }
  const twice = [...seen].filter(([, count]) => count > 1).map(([line]) => line);
  expect(twice).toEqual([]);
  expect(seen.size).toBe(total);
  expect(stored).toHaveLength(total);
  // The trial was the one described: both replicas took batches, and bodies were split on 413.
  let tooLarge = 0;
  for (const server of servers) {
    const metrics = await (await fetch(`${server.url}/api/metrics`)).text();
    expect(Number(/^logpond_ingest_batches_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    tooLarge += Number(/^logpond_ingest_rejected_batches_total\{reason="payload_too_large"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
  }
  expect(tooLarge).toBeGreaterThan(0);
}, 180_000);

/** Every stored message, paged through one server. */
async function everyMessage(server: string): Promise<string[]> {
  const messages: string[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ q: '', from: 'now-1h', to: 'now+1h', order: 'asc', limit: '1000', ...(cursor ? { cursor } : {}) });
    const page = (await (await fetch(`${server}/api/search?${params}`)).json()) as { hits: { message: string }[]; nextCursor: string | null };
    messages.push(...page.hits.map((h) => h.message));
    cursor = page.nextCursor;
  } while (cursor);
  return messages;
}
