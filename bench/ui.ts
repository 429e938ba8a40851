// `npm run bench:ui`: the Discover page in a real Chromium, on the demo dataset.
//
// Starts the real server and a demo collector on a temp data dir, waits for the 24-hour backfill,
// then prints, best of 5 with a warm server: navigation to the first rows painted, and pressing
// Enter to updated rows and histogram over the last 24 hours. With --tail-minutes N it then keeps
// live tail on (the demo writing --rate lines a second) and samples the page's JS heap every 30 s.
//
//   npm run bench:ui -- [--tail-minutes 10] [--rate 200]
// --rate is the demo's LOGPOND_DEMO_RATE: lines a second on the day's average, which the demo
// scales by the hour's traffic (busiest at 14:00 UTC, a quarter of that at 02:00).
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { dayRhythm } from '../collector/demo/schedule';
import { best, startDemoStack } from './demo-stack';

const { values: args } = parseArgs({
  options: {
    'tail-minutes': { type: 'string', default: '0' },
    rate: { type: 'string', default: '200' },
    runs: { type: 'string', default: '5' },
  },
});
const RUNS = Number(args.runs);

/** Rows and histogram both show the result of `q`: every badge is the level asked for, and the total changed. */
async function searchAndWait(page: Page, q: string, level: string): Promise<number> {
  const before = await page.getByTestId('total-hits').innerText();
  const started = performance.now();
  await page.getByTestId('query').fill(q);
  await page.getByTestId('query').press('Enter'); // searches, open suggestions or not
  await page.waitForFunction(
    ([lvl, previous]) => {
      const badges = [...document.querySelectorAll('[data-testid=hit-row] .badge')];
      const total = document.querySelector('[data-testid=total-hits]')?.textContent ?? '';
      return badges.length > 0 && badges.every((b) => b.textContent === lvl) && total !== previous && /hits?$/.test(total);
    },
    [level, before] as const,
    { polling: 'raf' },
  );
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { url, browser, stop } = await startDemoStack(args.rate);
  const server = { url };
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const firstRows: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      const started = performance.now();
      await page.goto(`${server.url}/?from=now-24h`);
      await page.getByTestId('hit-row').first().waitFor();
      if (i > 0) firstRows.push(performance.now() - started); // the first load warms the server
    }
    console.log(`navigation to first rows painted (last 24 h): ${best(firstRows)}   target ≤ 1500 ms`);

    const searches: number[] = [];
    const queries: [string, string][] = [['level:error', 'error'], ['level:warn', 'warn'], ['level:info', 'info']];
    await searchAndWait(page, 'level:debug', 'debug'); // warm
    for (let i = 0; i < RUNS; i++) {
      const [q, level] = queries[i % queries.length];
      searches.push(await searchAndWait(page, q, level));
    }
    console.log(`Enter to updated rows and histogram (last 24 h): ${best(searches)}   target ≤ 300 ms`);

    const minutes = Number(args['tail-minutes']);
    if (minutes > 0) {
      await page.goto(`${server.url}/`);
      await page.getByTestId('live-tail').getByRole('checkbox').check();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const heap = async () => {
        await cdp.send('HeapProfiler.collectGarbage');
        const { metrics } = await cdp.send('Performance.getMetrics');
        return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
      };
      // LOGPOND_DEMO_RATE is the day's average; the demo writes it scaled by the hour's traffic.
      console.log(`live tail at ${Math.round(Number(args.rate) * dayRhythm(Date.now()))} lines/s (--rate ${args.rate} on the day's average, at this hour's share) for ${minutes} min; JS heap after GC:`);
      const samples: number[] = [];
      for (let t = 0; t <= minutes * 60; t += 30) {
        if (t > 0) await page.waitForTimeout(30_000);
        const mb = await heap();
        samples.push(mb);
        const rows = await page.getByTestId('hit-row').count();
        const newest = rows > 0 ? await page.getByTestId('hit-row').first().locator('td').first().innerText() : '—';
        console.log(`  ${String(t).padStart(4)} s: ${mb.toFixed(1)} MiB, ${rows} rows in the DOM, newest ${newest}`);
      }
      const half = samples.slice(Math.floor(samples.length / 2));
      console.log(`heap: max ${Math.max(...samples).toFixed(1)} MiB, last ${samples.at(-1)!.toFixed(1)} MiB, second-half spread ${(Math.max(...half) - Math.min(...half)).toFixed(1)} MiB   target < 150 MiB, not growing`);
    }
  } finally {
    await stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
