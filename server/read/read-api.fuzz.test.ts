// Issue 18, and so that it stays fixed: generated requests to every read route against a real
// store holding long lines. Never a 500 (nor an engine refusal the parser let through), never an
// answer past the timeout plus a small margin, and the store answers and ingests afterwards.
// fast-check prints the seed and the shrunk request of a failure.
import type { LogStorage } from '../store/log-storage';
import { ENGINES, openTestStorage } from '../testing/storage';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLogpondError } from '../errors';
import { toErrorResponse } from '../http/error-response';
import { decoded } from '../testing/batches';
import { paramsArb, queryArb, type Route, searchParams } from '../testing/fuzz-inputs';
import { fuzzBatches } from '../testing/fuzz-store';
import { tempDir } from '../testing/temp-dir';
import { ReadApi } from './read-api';

/** Fixed, so a failure reproduces; LOGPOND_FUZZ_SEED explores others, LOGPOND_FUZZ_RUNS more of them. */
const SEED = Number(process.env.LOGPOND_FUZZ_SEED ?? 18);
const RUNS = Number(process.env.LOGPOND_FUZZ_RUNS ?? 1_000);
const TIMEOUT_MS = 2_000;
const GRACE_MS = 500;
/** Beyond timeout and grace: a loaded machine's scheduling, never a measurement. */
const MARGIN_MS = 3_000;
const ANSWERS = new Set([200, 400, 404, 504]);

describe.each(ENGINES)('%s', (engine) => {
  let store: LogStorage;
  let api: ReadApi;
  let cleanup: () => Promise<void>;
  let ids: string[] = [];
  const started = Date.now();

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    store = await openTestStorage(engine, dir, { queryTimeoutMs: TIMEOUT_MS, stopGraceMs: GRACE_MS });
    for (const body of fuzzBatches(started - 10 * 60_000, 500)) await store.ingest(decoded(body));
    await store.maintain(); // the older half → segments
    for (const body of fuzzBatches(started - 2 * 60_000, 500, 500 * 100)) await store.ingest(decoded(body));
    api = new ReadApi(store);
    const page = await api.search(new URLSearchParams({ from: 'now-1h', limit: '1000' }));
    ids = page.hits.filter((_, i) => i % 50 === 0).map((h) => h.id);
  }, 120_000);
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  /** What the route would answer: 200 with its body read to the end, or the mapped error. */
  async function answer(route: Route, params: URLSearchParams): Promise<{ status: number; body: unknown }> {
    try {
      const result = await api[route](params);
      if (route === 'export') for await (const chunk of (result as Awaited<ReturnType<ReadApi['export']>>).body) void chunk;
      return { status: 200, body: result };
    } catch (err) {
      if (!isLogpondError(err) && !(err instanceof Error)) throw err;
      const response = toErrorResponse(err);
      return { status: response.status, body: await response.json() };
    }
  }

  describe('read API fuzz', () => {
    it(`answers ${RUNS} generated requests without a 500 and within the timeout`, async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(paramsArb(ids), async ({ route, params }) => {
          const query = searchParams(params);
          const t0 = Date.now();
          const { status, body } = await answer(route, query);
          const elapsed = Date.now() - t0;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          expect(ANSWERS.has(status), `${route}?${query} → ${status} ${JSON.stringify(body)}`).toBe(true);
          expect(elapsed, `${route}?${query} took ${elapsed} ms`).toBeLessThan(TIMEOUT_MS + GRACE_MS + MARGIN_MS);
          if (status !== 200) {
            const { error } = body as { error: { code: string; message: string; position?: number } };
            expect(error).toEqual({ code: expect.any(String), message: expect.any(String), ...(error.position === undefined ? {} : { position: expect.any(Number) }) });
            if (error.code === 'query_syntax') expect(error.position).toBeGreaterThanOrEqual(0);
            // The engine's refusals are a backstop: the parameter checks must have caught the input first.
            expect(error.code, `${route}?${query} → ${error.message}`).not.toBe('invalid_input');
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
      // The generators reach both sides: real answers and refusals.
      expect(statuses.get(200)).toBeGreaterThan(RUNS / 5);
      expect(statuses.get(400)).toBeGreaterThan(RUNS / 10);
    });

    it('tail refuses a bad query at once and streams for a good one', async () => {
      await fc.assert(
        fc.asyncProperty(queryArb, async (q) => {
          const controller = new AbortController();
          let events;
          try {
            events = api.tail(new URLSearchParams({ q }), controller.signal);
          } catch (err) {
            expect(toErrorResponse(err).status).toBe(400);
            return;
          }
          const first = events.next();
          setTimeout(() => controller.abort(), 20);
          await first.catch((err: unknown) => expect(isLogpondError(err) && [499, 504].includes(err.status)).toBe(true));
          await events.return(undefined);
        }),
        { seed: SEED, numRuns: 100 },
      );
    });

    it('still answers and ingests afterwards', async () => {
      const page = await api.search(new URLSearchParams({ q: 'refused', from: 'now-1h', limit: '5' }));
      expect(page.hits).toHaveLength(5);
      const [body] = fuzzBatches(Date.now() - 1_000, 10, 10_000 * 100);
      await expect(store.ingest(decoded(body))).resolves.toMatchObject({ accepted: 10 });
    });
  });
});
