// The HTTP slice of the read fuzz suite (server/read/read-api.fuzz.test.ts runs the thousands):
// generated requests through the route handlers themselves, in process — the JSON answers, the
// export stream, the tail's event stream — then status and ingest still answer.
import { NextRequest } from 'next/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { paramsArb, queryArb, type Route, searchParams } from '@/server/testing/fuzz-inputs';
import { fuzzBatches } from '@/server/testing/fuzz-store';
import { tempDir } from '@/server/testing/temp-dir';
import { GET as context } from './context/route';
import { GET as exportLines } from './export/route';
import { GET as fields } from './fields/route';
import { GET as histogram } from './histogram/route';
import { GET as patterns } from './patterns/route';
import { POST as ingest } from './ingest/route';
import { startedRuntime } from './runtime';
import { GET as search } from './search/route';
import { GET as status } from './status/route';
import { GET as suggest } from './suggest/route';
import { GET as tail } from './tail/route';
import { GET as values } from './values/route';

// `server-only` refuses to load outside Next's server bundle; here the test is that bundle.
vi.mock('server-only', () => ({}));

const SEED = 18;
const TIMEOUT_MS = 2_000;
/** The reader's grace after a stop (server/store/duckdb/snapshot.ts) and a loaded machine's scheduling. */
const MARGIN_MS = 4_000;
const TOKEN = 'fuzz-token';

type Handler = (request: Request) => Promise<Response>;
const routes: Record<Route, Handler> = { search, histogram, fields, values, suggest, context, export: exportLines, patterns };
let cleanup: () => Promise<void>;
let ids: string[] = [];

const url = (route: string, params: URLSearchParams) => `http://127.0.0.1/api/${route}?${params}`;

async function post(batch: unknown): Promise<Response> {
  return ingest(new Request('http://127.0.0.1/api/ingest', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) }));
}

beforeAll(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  // Read once, by the first request's getRuntime().
  Object.assign(process.env, { LOGPOND_DATA_DIR: dir, LOGPOND_QUERY_TIMEOUT: `${TIMEOUT_MS / 1000}s`, LOGPOND_INGEST_TOKEN: TOKEN, LOGPOND_INGEST_WORKERS: '0' });
  for (const body of fuzzBatches(Date.now() - 5 * 60_000, 200)) expect((await post(body)).status).toBe(200);
  const page = await (await routes.search(new Request(url('search', new URLSearchParams({ limit: '1000' }))))).json();
  ids = (page.hits as { id: string }[]).filter((_, i) => i % 40 === 0).map((h) => h.id);
}, 120_000);
afterAll(async () => {
  await (await startedRuntime())?.close();
  await cleanup();
});

describe('read routes fuzz (in process)', () => {
  it('answers generated requests with JSON or a stream, never a 500, within the timeout', async () => {
    await fc.assert(
      fc.asyncProperty(paramsArb(ids), async ({ route, params }) => {
        const query = searchParams(params);
        const t0 = Date.now();
        const response = await routes[route](new Request(url(route, query)));
        const text = await response.text(); // an export streams: read it to the end
        expect([200, 400, 404, 504], `${route}?${query} → ${response.status} ${text.slice(0, 300)}`).toContain(response.status);
        expect(Date.now() - t0, `${route}?${query}`).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
        if (response.status !== 200) {
          expect(response.headers.get('content-type')).toMatch(/^application\/json/);
          const { error } = JSON.parse(text);
          expect(error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
          expect(error.code, `${route}?${query} → ${error.message}`).not.toBe('invalid_input');
        } else if (route === 'export') {
          expect(text, `${route}?${query}`).not.toMatch(/^\{"error":/m); // no line saying the stream broke off
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('opens the tail for a good query and refuses a bad one with JSON', async () => {
    await fc.assert(
      fc.asyncProperty(queryArb, async (q) => {
        const controller = new AbortController();
        const response = await tail(new NextRequest(url('tail', new URLSearchParams({ q })), { signal: controller.signal }));
        if (response.status === 200) {
          expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
          const reader = response.body!.getReader();
          expect(new TextDecoder().decode((await reader.read()).value)).toContain('retry: 3000');
          controller.abort();
          await reader.cancel();
        } else {
          expect(response.status).toBe(400);
          expect((await response.json()).error.code).toBe('query_syntax');
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('still answers status and ingest afterwards', async () => {
    expect((await status(new NextRequest(url('status', new URLSearchParams())))).status).toBe(200);
    const [body] = fuzzBatches(Date.now() - 1_000, 5, 10_000 * 100);
    const response = await post(body);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 5 });
  });
});
