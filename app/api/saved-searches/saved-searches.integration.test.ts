// Saved searches over HTTP on the real server, with users named by an authenticating proxy (the
// test calls from loopback, where the proxy's header is believed): per user, validated, and kept
// across a restart of the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { tempDir } from '@/server/testing/temp-dir';

let server: ServerProcess;
let dir: string;
let cleanup: () => Promise<void>;
const env = () => ({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0', LOGPOND_AUTH_PROXY_HEADER: 'X-Forwarded-User' });

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  server = await startServer(env());
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await cleanup();
});

const as = (user: string | null, init: RequestInit = {}, path = '') =>
  fetch(`${server.url}/api/saved-searches${path}`, { ...init, headers: { ...(user === null ? {} : { 'x-forwarded-user': user }), ...init.headers } });
const save = (user: string, body: unknown) => as(user, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const list = async (user: string) => (await (await as(user)).json()) as { searches: { id: string; name: string }[] };

describe('/api/saved-searches', () => {
  it('saves, lists, replaces by name and deletes, for each user apart', async () => {
    const created = await save('alice', { name: 'Errors', view: { q: 'level:error', from: 'now-1h', to: 'now', columns: ['pod'] } });
    expect(created.status).toBe(200);
    const errors = await created.json();
    expect(errors).toEqual({
      id: expect.any(String),
      name: 'Errors',
      view: { q: 'level:error', from: 'now-1h', to: 'now', columns: ['pod'] },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: errors.createdAt,
    });
    const replaced = await (await save('alice', { name: 'Errors', view: { q: 'level:(error or fatal)' } })).json();
    expect(replaced).toMatchObject({ id: errors.id, createdAt: errors.createdAt, view: { q: 'level:(error or fatal)' } });
    await save('bob', { name: 'Mine', view: {} });
    expect(await list('alice')).toEqual({ searches: [replaced] });
    expect((await list('bob')).searches.map((s) => s.name)).toEqual(['Mine']);

    const stolen = await as('bob', { method: 'DELETE' }, `/${errors.id}`);
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toEqual({ error: { code: 'not_found', message: 'no saved search with that id' } });
    expect((await as('alice', { method: 'DELETE' }, `/${errors.id}`)).status).toBe(200);
    expect(await list('alice')).toEqual({ searches: [] });
    expect((await as('alice', { method: 'DELETE' }, `/${errors.id}`)).status).toBe(404);
  });

  it('renames one in place with PUT, for its owner only', async () => {
    const first = await (await save('dora', { name: 'Slow', view: { q: 'took_ms>500' } })).json();
    const put = (user: string, id: string, body: unknown) => as(user, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, `/${id}`);
    const renamed = await put('dora', first.id, { name: 'Slow requests', view: { q: 'took_ms>1000' } });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: first.id, name: 'Slow requests', view: { q: 'took_ms>1000' }, createdAt: first.createdAt });
    expect((await list('dora')).searches.map((s) => [s.id, s.name])).toEqual([[first.id, 'Slow requests']]);
    expect((await put('erin', first.id, { name: 'Mine', view: {} })).status).toBe(404);
    expect((await put('dora', first.id, { name: '', view: {} })).status).toBe(400);
    expect((await put('dora', 'no-such-id', { name: 'x', view: {} })).status).toBe(404);
  });

  it('answers 401 without a user, and 400 to a bad body', async () => {
    expect((await as(null)).status).toBe(401);
    expect((await as(null, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x","view":{}}' })).status).toBe(401);
    for (const body of [{ name: '', view: {} }, { name: 'x', view: [] }, { name: 'x' }, 'not an object']) {
      const response = await save('alice', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_body');
    }
    const notJson = await as('alice', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(await notJson.json()).toEqual({ error: { code: 'invalid_body', message: 'the body is not valid JSON' } });
  });

  it('keeps them across a restart of the server', async () => {
    const kept = await (await save('carol', { name: 'Kept', view: { q: 'pod:checkout-*' } })).json();
    await server.stop();
    server = await startServer(env());
    expect(await list('carol')).toEqual({ searches: [kept] });
  });
});
