// The live tail with sign-in on: a stream opened with a session ends when that session does, so a
// copied cookie's open tail stops delivering lines once its user signs out.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '@/server/auth/passwords';
import { batch, lines, sourceMeta } from '@/server/testing/batches';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { tempDir } from '@/server/testing/temp-dir';

let server: ServerProcess;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_USERS: `alice:${await hashPassword('correct horse')}` });
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await cleanup();
});

async function ingest(message: string, offset: number) {
  const body = batch(lines({ source: 'tailed', file: 'tailed:1', firstOffset: offset, count: 1, startMs: Date.now(), message: () => message }), [sourceMeta('tailed')]);
  const response = await fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

it('a tail opened with a session ends with an unauthorized event once its user signs out, sending nothing after', async () => {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'alice', password: 'correct horse' }),
    redirect: 'manual',
  });
  const cookie = login.headers.get('set-cookie')!.split(';')[0];
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/tail?q=tailed`, { headers: { cookie }, signal: controller.signal });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const readUntil = async (done: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`waited in vain; the stream so far: ${text}`);
      const chunk = await reader.read();
      if (chunk.done) {
        ended = true;
        return;
      }
      text += decoder.decode(chunk.value);
    }
  };
  try {
    await readUntil(() => text.includes(': tailing'));
    await ingest('tailed before sign-out', 0);
    await readUntil(() => text.includes('tailed before sign-out'));
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' })).status).toBe(303);
    await ingest('tailed after sign-out', 1);
    await readUntil(() => ended);
  } finally {
    controller.abort();
  }
  expect(text).not.toContain('tailed after sign-out');
  const last = text.trim().split('\n\n').at(-1)!;
  expect(last).toMatch(/^event: error\ndata: /);
  expect(JSON.parse(last.split('\n')[1].slice('data: '.length)).code).toBe('unauthorized');
  const tails = async () => (await (await fetch(`${server.url}/api/metrics`)).text()).match(/^logpond_tail_streams (\d+)$/m)?.[1];
  await expect.poll(tails, { timeout: 10_000 }).toBe('0');
  // Opened again with that cookie (as EventSource reconnects), the tail is refused.
  expect((await fetch(`${server.url}/api/tail?q=tailed`, { headers: { cookie } })).status).toBe(401);
});
