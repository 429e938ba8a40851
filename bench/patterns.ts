// `npm run bench:patterns`: the figures of the Patterns view (issue 22).
//
// 1. The clusterer alone: --lines (100,000) lines of the bench corpus (bench/corpus.ts), as the
//    store gives them (a JSON or logfmt line's msg, else its first line), masked and clustered;
//    best of 3. Prints the time and how many patterns it found, with the largest ones.
// 2. On the demo data: the real server and a demo collector with its 24-hour backfill (bench/
//    demo-stack.ts), then, best of --runs (5) each:
//    - GET /api/patterns over the last 24 hours (the route's own time, and the round trip);
//    - in Chromium, a fresh page at `?from=now-24h&tab=patterns` until the first pattern shows;
//    - with the tab open, a query typed and Enter until its patterns show.
//
//   npm run bench:patterns -- [--lines 100000] [--runs 5] [--skip-ui]
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import type { PatternsResponse } from '../common/read-api';
import { extract } from '../server/ingest/extract';
import { Drain } from '../server/patterns/drain';
import { PATTERN_TEXT_FIELDS } from '../server/query/pattern-template';
import { patternTokens } from '../server/patterns/tokens';
import { PATTERN_TEXT_CHARS } from '../server/read/patterns';
import { corpusRecords } from './corpus';
import { best, log, startDemoStack } from './demo-stack';

const { values: args } = parseArgs({
  options: {
    lines: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '5' },
    'skip-ui': { type: 'boolean', default: false },
  },
});
const LINES = Number(args.lines);
const RUNS = Number(args.runs);

/** What the store's pattern text is for an entry: its first message field present, else the message; cut as the sample cuts it. */
function patternText(message: string): string {
  const fields = extract(message).fields;
  const key = PATTERN_TEXT_FIELDS.find((k) => fields !== null && Object.hasOwn(fields, k));
  return String(key === undefined ? message : fields![key]).slice(0, PATTERN_TEXT_CHARS);
}

function clustererFigures(): void {
  log(`generating ${LINES.toLocaleString()} corpus lines…`);
  const texts: string[] = [];
  for (const entry of corpusRecords({ lines: LINES, files: 150, seed: 42, from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 0, 8) })) texts.push(patternText(entry.message));
  const times: number[] = [];
  let found: ReturnType<Drain['clusters']> = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const drain = new Drain();
    for (const text of texts) drain.add(patternTokens(text, text.length >= PATTERN_TEXT_CHARS), text);
    found = drain.clusters();
    times.push(performance.now() - started);
  }
  console.log(`clustering ${LINES.toLocaleString()} corpus lines: ${best(times)}   target ≤ 1000 ms`);
  console.log(`patterns found in them: ${found.length} (each physical line is an entry here: stack frames and continuation lines are patterns of their own)`);
  for (const c of found.slice(0, 15)) console.log(`  ${String(c.count).padStart(7)}  ${c.tokens.join(' ').slice(0, 150)}`);
}

async function patternsShown(page: Page, previous: string | null): Promise<void> {
  await page.waitForFunction(
    (before) => {
      const summary = document.querySelector('[data-testid=patterns-summary]')?.textContent ?? null;
      return summary !== null && summary !== before && document.querySelectorAll('[data-testid=pattern-row]').length > 0 && !document.querySelector('[data-testid=patterns][aria-busy]');
    },
    previous,
    { polling: 'raf' },
  );
}

async function demoFigures(): Promise<void> {
  const { url, browser, stop } = await startDemoStack('25');
  try {
    const ask = `${url}/api/patterns?from=now-24h&to=now&buckets=60`;
    const trips: number[] = [];
    const took: number[] = [];
    let last: PatternsResponse | undefined;
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      const response = await fetch(ask);
      if (!response.ok) throw new Error(`/api/patterns answered ${response.status}: ${await response.text()}`);
      last = (await response.json()) as PatternsResponse;
      if (i > 0) {
        trips.push(performance.now() - started);
        took.push(last.tookMs);
      }
    }
    console.log(`GET /api/patterns, last 24 h of the demo (${last!.total.toLocaleString()} lines, sampled ${last!.sampled}, ${last!.sampleSize.toLocaleString()} clustered): round trip ${best(trips)}; the route's tookMs ${best(took)}`);
    console.log(`patterns shown: ${last!.patterns.length} (the default limit)`);
    for (const p of last!.patterns.slice(0, 10)) console.log(`  ${String(p.count).padStart(7)}  ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.template.slice(0, 140)}`);
    const all = (await (await fetch(`${ask}&limit=200`)).json()) as PatternsResponse;
    console.log(`patterns in the sample, all of them (limit=200): ${all.patterns.length}, ${all.patterns.filter((p) => p.count >= 10).length} of them with 10 lines or more`);
    if (args['skip-ui']) return;

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const opened: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      await page.goto(`${url}/?from=now-24h&tab=patterns`);
      await patternsShown(page, null);
      if (i > 0) opened.push(performance.now() - started);
    }
    console.log(`page opened on the Patterns tab (last 24 h) until the patterns show: ${best(opened)}   target ≤ 1500 ms`);
    // Queries that keep most of the day's lines: the most work for the tab.
    const queries = ['not level:debug', 'not level:error', 'not namespace:kube-system', 'not level:warn'];
    const searched: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const before = await page.getByTestId('patterns-summary').innerText();
      const started = performance.now();
      await page.getByTestId('query').fill(queries[i % queries.length]);
      await page.getByTestId('query').press('Enter');
      await patternsShown(page, before);
      if (i > 0) searched.push(performance.now() - started);
    }
    console.log(`a query and Enter on the Patterns tab (last 24 h) until its patterns show: ${best(searched)}   target ≤ 1500 ms`);
  } finally {
    await stop();
  }
}

async function main(): Promise<void> {
  clustererFigures();
  await demoFigures();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
