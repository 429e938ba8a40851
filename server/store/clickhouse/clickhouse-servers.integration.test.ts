// Logpond servers on ClickHouse, as a cluster runs them: stateless replicas on one database over
// HTTP (here ClickHouse's HTTP interface on loopback, chdb-http-server.ts), and what they do while
// that ClickHouse is away and once it is back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../auth/passwords';
import { batch, lines, sourceMeta } from '../../testing/batches';
import { type ServerProcess, startServer } from '../../testing/server-process';
import { chdbDir } from '../../testing/storage';
import { tempDir } from '../../testing/temp-dir';
import { type ClickHouseHttp, serveClickHouse } from './chdb-http-server';

let clickhouse: ClickHouseHttp;
const servers: ServerProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
let databases = 0;

beforeAll(async () => {
  clickhouse = await serveClickHouse(chdbDir());
});
afterAll(() => clickhouse.close());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A Logpond server on the database `database` of the ClickHouse on loopback. */
async function logpond(database: string, waitHealthy = true, env: Record<string, string> = {}): Promise<ServerProcess> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const server = await startServer(
    { LOGPOND_STORE: 'clickhouse', LOGPOND_CLICKHOUSE_URL: `${clickhouse.url}/${database}`, LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', ...env },
    { waitHealthy },
  );
  servers.push(server);
  return server;
}

const post = (server: ServerProcess, body: unknown) =>
  fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const search = async (server: ServerProcess, params: Record<string, string>) => {
  const response = await fetch(`${server.url}/api/search?${new URLSearchParams(params)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { hits: { id: string; message: string }[]; nextCursor: string | null };
};
const count = async (server: ServerProcess, q: string) => (await search(server, { q, from: 'now-1h', limit: '1000' })).hits.length;

const source = sourceMeta('checkout');
const linesFrom = (file: string, firstOffset: number, count: number, text: (i: number) => string) =>
  batch(lines({ source: 'checkout', file, firstOffset, count, startMs: Date.now() - 60_000, message: text }), [source]);

describe('two Logpond servers on one ClickHouse', () => {
  it('find what either stored, page on one with the other’s cursor, tail on one what the other took, store a batch resent to the other once, also while both take it at once, and list what both took from a collector', async () => {
    const database = `two_servers_${++databases}`;
    // Started together, as a Deployment's replicas are: both apply the migrations.
    const [a, b] = await Promise.all([logpond(database), logpond(database)]);
    const first = linesFrom('1:1', 0, 30, (i) => `through a order=${i}`);
    expect(await (await post(a, first)).json()).toEqual({ accepted: 30, duplicates: 0 });
    // The collector's retry of the same batch reaches the other replica.
    expect(await (await post(b, first)).json()).toEqual({ accepted: 0, duplicates: 30 });
    expect(await (await post(b, linesFrom('2:1', 0, 30, (i) => `through b order=${i}`))).json()).toEqual({ accepted: 30, duplicates: 0 });
    for (const server of [a, b]) {
      expect(await count(server, 'through')).toBe(60);
    }
    // A batch and its retry in flight at once, one on each replica: both may read the file's mark
    // before either stored a line, and the lines must still be stored once.
    for (let round = 0; round < 5; round++) {
      const body = linesFrom('4:1', round * 100_000, 20, (i) => `raced round=${round} i=${i}`);
      const answers = await Promise.all([post(a, body), post(b, body)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
    }
    expect(await count(a, 'raced')).toBe(100);
    const page = await search(a, { q: 'order', from: 'now-1h', limit: '25' });
    const rest = await search(b, { q: 'order', from: 'now-1h', limit: '100', cursor: page.nextCursor! });
    const ids = [...page.hits, ...rest.hits].map((h) => h.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);

    const controller = new AbortController();
    const tail = await fetch(`${a.url}/api/tail?q=${encodeURIComponent('tailed')}`, { signal: controller.signal });
    const reader = tail.body!.getReader();
    let text = '';
    const waitFor = async (needle: string) => {
      const deadline = Date.now() + 15_000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) throw new Error(`no ${needle} in ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('the tail ended');
        text += new TextDecoder().decode(value);
      }
    };
    await waitFor(': tailing');
    const live = batch(lines({ source: 'checkout', file: '3:1', count: 1, startMs: Date.now(), message: () => 'tailed through b' }), [source]);
    expect((await post(b, live)).status).toBe(200);
    await waitFor('tailed through b');
    controller.abort();
    // A page asks either replica; each lists the batches both took (a 6 of them, b 8). Lines are
    // not compared: each replica of a raced pair may count the lines ClickHouse then deduplicated.
    const seen = async (server: ServerProcess) =>
      ((await (await fetch(`${server.url}/api/status`)).json()).collectors as { id: string; batches: number }[]).map(({ id, batches }) => ({ id, batches }));
    for (const server of [a, b]) {
      await expect.poll(() => seen(server), { timeout: 15_000, interval: 250 }).toEqual([{ id: 'test-collector', batches: 14 }]);
    }
  }, 120_000);

  it('end a session on both when its user signs out on one, and on a server started after', async () => {
    const database = `sessions_${++databases}`;
    // As a Deployment's replicas run: the same users and session secret, from one Secret.
    const env = { LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')}`, LOGPOND_SESSION_SECRET: 'a-secret-the-replicas-share-0123456789' };
    const [a, b] = await Promise.all([logpond(database, true, env), logpond(database, true, env)]);
    const login = await fetch(`${a.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'alice', password: 'correct horse' }),
      redirect: 'manual',
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const account = async (server: ServerProcess) => (await fetch(`${server.url}/api/auth/account`, { headers: { cookie } })).status;
    expect([await account(a), await account(b)]).toEqual([200, 200]);
    const logout = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect(await account(a)).toBe(401);
    // A copy of the cookie sent to the other replica: refused there too, within the sync interval.
    await expect.poll(() => account(b), { timeout: 10_000, interval: 250 }).toBe(401);
    expect(await account(await logpond(database, true, env))).toBe(401);
  }, 120_000);
});

describe('a Logpond server whose ClickHouse goes away', () => {
  it('answers 503 to ingest and reads and says degraded, then recovers by itself when ClickHouse is back', async () => {
    const server = await logpond(`away_${++databases}`);
    expect((await post(server, linesFrom('1:1', 0, 10, (i) => `before ${i}`))).status).toBe(200);
    await clickhouse.stop();
    try {
      const ingest = await post(server, linesFrom('1:1', 1000, 10, (i) => `while away ${i}`));
      expect(ingest.status).toBe(503);
      expect((await ingest.json()).error.code).toBe('storage_unavailable');
      const read = await fetch(`${server.url}/api/search?q=before&from=now-1h`);
      expect(read.status).toBe(503);
      expect((await read.json()).error).toEqual({ code: 'storage_unavailable', message: 'ClickHouse cannot be reached; retry later' });
      const health = await fetch(`${server.url}/api/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, degraded: 'ClickHouse cannot be reached; retry later' });
      // The page header's status (with the collectors list every replica shares) says so too.
      for (let i = 0; i < 5; i++) {
        const status = await fetch(`${server.url}/api/status`);
        expect(status.status).toBe(503);
        expect((await status.json()).error.code).toBe('storage_unavailable');
      }
    } finally {
      await clickhouse.start();
    }
    // Nothing to restart: the next requests go through, and the collector's retry stores its batch.
    expect((await fetch(`${server.url}/api/healthz`)).status).toBe(200);
    expect(await (await post(server, linesFrom('1:1', 1000, 10, (i) => `while away ${i}`))).json()).toEqual({ accepted: 10, duplicates: 0 });
    expect(await count(server, 'while away')).toBe(10);
    expect(await count(server, 'before')).toBe(10);
  }, 120_000);

  it('starts while ClickHouse is away, answering 503, and opens the store once it is there', async () => {
    await clickhouse.stop();
    let server: ServerProcess;
    try {
      server = await logpond(`late_${++databases}`, false);
      const health = await fetch(`${server.url}/api/healthz`);
      expect(health.status).toBe(503);
      expect((await health.json()).error.code).toBe('storage_unavailable');
      expect((await post(server, linesFrom('1:1', 0, 5, (i) => `early ${i}`))).status).toBe(503);
    } finally {
      await clickhouse.start();
    }
    expect(await (await post(server, linesFrom('1:1', 0, 5, (i) => `early ${i}`))).json()).toEqual({ accepted: 5, duplicates: 0 });
    expect((await fetch(`${server.url}/api/healthz`)).status).toBe(200);
  }, 120_000);
});
