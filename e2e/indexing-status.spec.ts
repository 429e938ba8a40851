// The header says when the store is still indexing, so a slow first search has an explanation.
// The store's side (hours settled after a backfill, counted in /api/status) is tested against
// the real server in app/api/ingest/ingest.integration.test.ts; here, only what the page makes
// of a status taken mid-way, which a real backfill shows for seconds at a time.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';

test('the header counts the hours still being indexed, and says nothing once all are', async ({ page }) => {
  let settled = 120;
  await page.route('**/api/status', async (route) => {
    const response = await route.fetch();
    const status = await response.json();
    await route.fulfill({ response, json: { ...status, settling: { hours: 170, settled } } });
  });
  const discover = new DiscoverPage(page);
  await discover.open();
  const indexing = page.getByTestId('status-indexing');
  await expect(indexing).toHaveText('· indexing 120 of 170 hours, all searchable'); // not read as "nothing found yet"
  await expect(indexing).toHaveAttribute('title', /get faster as indexing goes on/);
  settled = 170;
  await expect(indexing).toHaveCount(0);
  await expect(page.getByTestId('status-line')).toContainText('entries');
});
