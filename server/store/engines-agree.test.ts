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

  it('on the lines each template of the Patterns view fits, and on the pattern text the clusterer reads', async () => {
    const templates = ['request failed', 'slow query', 'ERROR connection refused to <_>', 'INFO GET /api/orders?id=<_> <_> <_>', 'Grüße aus Köln <_> — ünïcödé ✓ 日本語', '<_>', 'weird <_> control % _ \\ \' " chars <_>'];
    const answers = await Promise.all(
      stores.map((store) =>
        store.read(async (view) => {
          const counts = await view.patternCounts({ query: { type: 'all', start: 0, end: 0 }, range: RANGE, originUs: RANGE.fromUs, intervalUs: 600_000_000n, templates });
          const perTemplate = templates.map((_, i) => counts.reduce((n, row) => n + row.fits[i], 0));
          const filtered = await Promise.all(templates.map((t) => view.total(parseQuery(`pattern:"${t.replace(/["\\]/g, (c) => `\\${c}`)}"`), RANGE)));
          const texts = await view.patternTexts({ query: parseQuery('level:warn or "refused to"'), range: RANGE, size: 4, chars: 12 });
          return { perTemplate, filtered, texts };
        }),
      ),
    );
    for (const other of answers.slice(1)) expect(other).toEqual(answers[0]);
    // A pattern's count is what its filter finds; every template but the catch-all fits some lines and not all.
    expect(answers[0].perTemplate).toEqual(answers[0].filtered);
    const all = answers[0].perTemplate[5];
    for (const [i, n] of answers[0].perTemplate.entries()) if (i !== 5) expect(n, templates[i]).toBeGreaterThan(0);
    for (const [i, n] of answers[0].perTemplate.entries()) if (i !== 5) expect(n, templates[i]).toBeLessThan(all);
    // A logfmt line's pattern text is its msg; a stack trace's its first line, one character past the cut.
    expect(answers[0].texts).toHaveLength(4);
    expect(new Set(answers[0].texts)).toEqual(new Set(['ERROR connect', 'slow query']));
  }, 120_000);
});
