// Every engine answers a query alike: a few hundred generated queries — words and phrases in any
// case, non-ASCII text, wildcards, regexes, fields of the pod, labels, extracted fields and
// numbers, combined with and, or and not — counted and paged on the same lines by each engine,
// which must agree line for line.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../query/parse';
import { decoded } from '../testing/batches';
import { plausibleQueryArb } from '../testing/fuzz-inputs';
import { fuzzBatches } from '../testing/fuzz-store';
import { ENGINES, openTestStorage } from '../testing/storage';
import { tempDir } from '../testing/temp-dir';
import type { LogStorage, MicrosRange } from './log-storage';

const QUERIES = 300;
const START = Date.parse('2026-11-25T10:00:00Z');
const RANGE: MicrosRange = { fromUs: BigInt(START - 60_000) * 1000n, toUs: BigInt(START + 3_600_000) * 1000n };

describe('the engines agree', () => {
  const stores: LogStorage[] = [];
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    for (const engine of ENGINES) {
      const { dir, cleanup } = await tempDir();
      cleanups.push(cleanup);
      const store = await openTestStorage(engine, dir, { now: () => START + 3_600_000 });
      for (const body of fuzzBatches(START, 300)) await store.ingest(decoded(body));
      await store.maintain();
      for (const body of fuzzBatches(START + 60_000, 300, 300 * 100)) await store.ingest(decoded(body));
      stores.push(store);
    }
  }, 120_000);
  afterAll(async () => {
    for (const store of stores) await store.close();
    for (const cleanup of cleanups) await cleanup();
  });

  it(`on the count and the newest lines of ${QUERIES} generated queries`, async () => {
    expect(ENGINES.length).toBeGreaterThan(1);
    const texts = fc.sample(plausibleQueryArb, { seed: 7, numRuns: QUERIES * 3 });
    let compared = 0;
    let matching = 0;
    for (const text of texts) {
      let query;
      try {
        query = parseQuery(text);
      } catch {
        continue; // the parser's refusals are the same whatever the engine
      }
      const answers = await Promise.all(
        stores.map((store) =>
          store.read(async (view) => {
            const total = await view.total(query, RANGE);
            const newest = await view.page({ query, range: RANGE, order: 'desc', limit: 5, after: null });
            return { total, newest: newest.map((e) => `${e.key.ts} ${e.message.slice(0, 60)}`) };
          }),
        ),
      );
      for (const other of answers.slice(1)) expect(other, text).toEqual(answers[0]);
      if (answers[0].total > 0) matching++;
      if (++compared === QUERIES) break;
    }
    expect(compared).toBe(QUERIES);
    // Not a vacuous agreement on nothing: many queries match some lines.
    expect(matching).toBeGreaterThan(QUERIES / 4);
  }, 300_000);
});
