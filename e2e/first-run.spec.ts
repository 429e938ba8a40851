// A first start, before anything has sent a line: the page says how to send some instead of
// "try a wider range", and shows the first lines by itself once they are stored.
import { expect, test } from '@playwright/test';
import { batch, lines, sourceMeta } from '../server/testing/batches';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';
import { DiscoverPage } from './pages/discover-page';

test('an empty store says how to send logs, and the first lines appear without a reload', async ({ page }) => {
  test.setTimeout(90_000);
  const { dir, cleanup } = await tempDir('logpond-first-run-');
  try {
    const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    try {
      await page.goto(server.url);
      const discover = new DiscoverPage(page);
      const guide = page.getByTestId('empty-store');
      await expect(guide).toContainText('Nothing has been stored yet.');
      await expect(guide).toContainText(`${server.url}/v1/logs`);
      await expect(guide).toContainText(`${server.url}/loki/api/v1/push`);
      await expect(page.getByTestId('status-line')).toContainText('no collector yet');
      // Nowhere is the reader sent off widening a range that could not hold anything.
      await expect(page.getByTestId('no-fields')).toHaveText('Nothing stored yet, so no fields.');
      await page.getByRole('tab', { name: 'Patterns' }).click();
      await expect(page.getByTestId('patterns-empty')).toHaveText('Nothing stored yet, so no patterns: the Documents tab says how to send logs.');
      await page.getByRole('tab', { name: 'Documents' }).click();

      const entries = lines({ source: 'first', file: 'first:1', count: 2, startMs: 0, message: (i) => `first line ${i}` });
      entries.forEach((e) => (e.ts = new Date().toISOString()));
      const sent = await fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(entries, [sourceMeta('first')])) });
      expect(sent.status).toBe(200);
      await expect(discover.rows).toHaveCount(2, { timeout: 10_000 });
      await expect(guide).toHaveCount(0);
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
});

test('a backfill that stores old lines first: the page opened on the last 15 minutes shows the recent lines once they are stored', async ({ page }) => {
  test.setTimeout(90_000);
  const { dir, cleanup } = await tempDir('logpond-first-run-');
  try {
    const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    try {
      const send = async (file: string, message: string, ts: number) => {
        const entries = lines({ source: 'backfill', file, count: 1, startMs: 0, message: () => message });
        entries[0].ts = new Date(ts).toISOString();
        const sent = await fetch(`${server.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(entries, [sourceMeta('backfill')])) });
        expect(sent.status).toBe(200);
      };
      await page.goto(server.url);
      const discover = new DiscoverPage(page);
      await expect(page.getByTestId('empty-store')).toBeVisible();
      // The collector reads the node's files oldest first: three hours ago, then now.
      await send('backfill:1', 'three hours ago', Date.now() - 3 * 3_600_000);
      await expect(page.getByTestId('lines-older')).toContainText('Every stored line is older than this range');
      await expect(discover.rows).toHaveCount(0);
      await send('backfill:2', 'just now', Date.now());
      await expect(discover.messages).toHaveText(['just now'], { timeout: 10_000 });
      await expect(page.getByTestId('lines-older')).toHaveCount(0);
    } finally {
      await server.stop();
    }
  } finally {
    await cleanup();
  }
});
