// While a search runs, the page keeps the last result on screen, dimmed and marked busy, instead of
// blanking the table and the chart; the new result replaces it whole, from the top of the page.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('while the next search runs, the last rows and count stay, dimmed and busy, until the new ones replace them', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} first`, `INFO ${m} first again`, `WARN ${m} second`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and first` });
  await expect(discover.rows).toHaveCount(2);
  await expect(discover.totalHits).toHaveText('2 hits');

  // Hold the next search's answers, as a slow server would.
  let answer: () => void = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route((url) => /^\/api\/(search|histogram)$/.test(url.pathname) && url.searchParams.get('q') === `${m} and second`, async (route) => {
    await held;
    await route.continue();
  });
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and second`);
  await page.keyboard.press('Enter');

  const table = page.getByTestId('log-table');
  await expect(table).toHaveAttribute('aria-busy', 'true');
  await expect(discover.totalHits).toHaveAttribute('aria-busy', 'true');
  await expect(discover.rows).toHaveCount(2);
  await expect(discover.totalHits).toHaveText('2 hits');

  answer();
  await expect(discover.messages).toHaveText([`WARN ${m} second`]);
  await expect(discover.totalHits).toHaveText('1 hit');
  await expect(table).not.toHaveAttribute('aria-busy', 'true');
  await expect(discover.totalHits).not.toHaveAttribute('aria-busy', 'true');
});
