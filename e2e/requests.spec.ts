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

test('the rows come first: the field list is read once the hits are in, and the last list stays meanwhile', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} first","user":"ann"}`, `{"msg":"${m} second","order":"o-1"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and first` });
  await expect(discover.rows).toHaveCount(1);
  await expect(page.locator('[data-testid=field][data-field="user"]')).toBeVisible();

  // Hold the next search's answer, as a slow server would.
  let answer: () => void = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route(/\/api\/search\?/, async (route) => {
    await held;
    await route.continue();
  });
  const fieldReads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/fields?')) fieldReads.push(new URL(r.url()).searchParams.get('q') ?? '');
  });
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and second`);
  await page.keyboard.press('Enter');

  // While the hits load, the fields of the last search stay listed, marked busy, and nothing else is asked.
  await expect(discover.fieldList.list).toHaveAttribute('aria-busy', 'true');
  await expect(page.locator('[data-testid=field][data-field="user"]')).toBeVisible();
  await page.waitForTimeout(300);
  expect(fieldReads).toEqual([]);

  answer();
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.messages.first()).toContainText(`${m} second`);
  await expect(page.locator('[data-testid=field][data-field="order"]')).toBeVisible();
  await expect(page.locator('[data-testid=field][data-field="user"]')).toHaveCount(0);
  await expect(discover.fieldList.list).not.toHaveAttribute('aria-busy', 'true');
  expect(fieldReads).toEqual([`${m} and second`]);
});

test('a query the server refuses is asked once, and the field list is not read for it', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.fieldList.fields.first()).toBeVisible();

  const reads: string[] = [];
  page.on('request', (r) => {
    if (READS.test(r.url())) reads.push(new URL(r.url()).pathname);
  });
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and (level:warn`);
  await page.keyboard.press('Enter');
  await expect(discover.queryError).toBeVisible();
  await expect(discover.rows).toHaveCount(1); // the last good result stays
  await page.waitForTimeout(1_000); // a second ask would come within a render or two
  expect(reads.sort()).toEqual(['/api/histogram', '/api/search']);
});

test('a search replaced before it answers never reads its field list', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} first`, `WARN ${m} second`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);

  // The first search's answer is held until the second has been typed.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route((url) => url.pathname === '/api/search' && url.searchParams.get('q') === `${m} and first`, async (route) => {
    await held;
    await route.continue().catch(() => undefined); // the page may have given up on it
  });
  const fieldReads: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/fields?')) fieldReads.push(new URL(r.url()).searchParams.get('q') ?? '');
  });
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and first`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and second`);
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`WARN ${m} second`]);
  release();
  await expect.poll(() => fieldReads).toEqual([`${m} and second`]);
  await page.waitForTimeout(1_000);
  expect(fieldReads).toEqual([`${m} and second`]);
});
