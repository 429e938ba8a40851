// What the page asks the server for: one search, one histogram and one field list per change of
// the view, for the new view only.
import { expect, type Request, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

const READS = /\/api\/(search|histogram|fields)\?/;

test('one search is one request per panel, and none for the previous query', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} first`, `WARN ${m} second`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and first` });
  await expect(discover.messages).toHaveText([`INFO ${m} first`]);
  await expect(discover.fieldList.fields.first()).toBeVisible();

  const reads: Request[] = [];
  page.on('request', (r) => {
    if (READS.test(r.url())) reads.push(r);
  });
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and second`);
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`WARN ${m} second`]);
  await expect(discover.fieldList.fields.first()).toBeVisible();
  await expect.poll(() => reads.length).toBeGreaterThanOrEqual(3);

  const asked = reads.map((r) => `${new URL(r.url()).pathname} ${new URL(r.url()).searchParams.get('q')}`).sort();
  expect(asked).toEqual([`/api/fields ${m} and second`, `/api/histogram ${m} and second`, `/api/search ${m} and second`]);
});
