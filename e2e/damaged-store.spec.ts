// A store with a damaged file (a disk error cut one hour's segment short while the server was
// down): the page still searches the rest, and the header says what was left out and where the
// file went, so a missing hour has an explanation.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { batch, lines, sourceMeta } from '../server/testing/batches';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';
import { DiscoverPage } from './pages/discover-page';

test('a damaged hour leaves the other hours searchable, and the header says what was set aside', async ({ page }) => {
  test.setTimeout(90_000);
  const { dir, cleanup } = await tempDir('logpond-damaged-');
  try {
    const first = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    const now = Date.now();
    const sent = async (name: string, stampedMs: number) => {
      const entries = lines({ source: name, file: `${name}:1`, count: 5, startMs: 0, message: (i) => `${name} line ${i}` });
      entries.forEach((e, i) => (e.ts = new Date(stampedMs + i).toISOString()));
      const response = await fetch(`${first.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(entries, [sourceMeta(name)])) });
      expect(response.status).toBe(200);
    };
    await sent('earlier', now - 3 * 3_600_000);
    await sent('recent', now - 60_000);
    await first.stop(); // seals both hours into files of their own

    const earlierHour = new Date(now - 3 * 3_600_000).toISOString().slice(0, 13);
    const [damaged] = (await fs.readdir(path.join(dir, 'segments', earlierHour))).filter((f) => f.endsWith('.parquet'));
    await fs.truncate(path.join(dir, 'segments', earlierHour, damaged), 100);

    const second = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    try {
      await page.goto(second.url);
      const discover = new DiscoverPage(page);
      await expect(discover.query).toBeVisible();
      // The count is read from the hours' rollups, without opening their files: when it answers
      // before the table's read finds the damage, it counts the lines set aside a moment later.
      const reachesEarlierHour = (url: string) => Number(new URL(url).searchParams.get('from')) < now - 2 * 3_600_000;
      const counted = page.waitForResponse((r) => r.url().includes('/api/histogram?') && reachesEarlierHour(r.url()));
      let firstWideSearch = true;
      await page.route(/\/api\/search\?/, async (route) => {
        if (firstWideSearch && reachesEarlierHour(route.request().url())) {
          firstWideSearch = false;
          await counted;
        }
        await route.continue();
      });
      await discover.quickRange('Last 24 hours');
      await expect(discover.messages.first()).toContainText('recent line 4');
      await expect(discover.totalHits).toHaveText(/^5\b/);
      const notice = page.getByTestId('status-damaged');
      await expect(notice).toHaveText('· 1 damaged file set aside (5 entries left out)');
      await expect(notice).toHaveAttribute('title', new RegExp(`could not read.*${path.join(dir, 'damaged').replaceAll('/', '\\/')}`, 's'));
    } finally {
      await second.stop();
    }
  } finally {
    await cleanup();
  }
});
