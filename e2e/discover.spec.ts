// A user's first minutes on the Discover page, in a real Chromium against the real server.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('a query shows the matching lines, newest first, with the words highlighted', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} started`, `ERROR ${m} payment failed for order 17`, `INFO ${m} other`, `ERROR ${m} payment failed for order 18`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search(`${m} and "payment failed"`);
  await expect(discover.rows).toHaveCount(2);
  expect(await discover.messageTexts()).toEqual([`ERROR ${m} payment failed for order 18`, `ERROR ${m} payment failed for order 17`]);
  await expect(discover.messages.first().locator('mark').first()).toHaveText(m);
  await expect(discover.totalHits).toHaveText('2 hits');
  await expect(page.locator('.badge').first()).toHaveText('error');
});

test('autocomplete offers values of the field being typed, with counts, from the keyboard', async ({ page }) => {
  const m = marker();
  const namespace = `ns-${m}`;
  await seed([`hello ${m}`, `again ${m}`], { namespace });
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.keyboard.press('/'); // focuses the search box
  await expect(discover.query).toBeFocused();
  await page.keyboard.type(`namespace:ns-${m.slice(0, 4)}`);
  await expect(discover.suggestions.first()).toContainText(namespace);
  await expect(discover.suggestions.first()).toContainText('2');
  await page.keyboard.press('Enter'); // takes the highlighted suggestion
  await expect(discover.query).toHaveValue(`namespace:${namespace} `);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter'); // searches
  await expect(discover.rows).toHaveCount(2);
});

test('a syntax error is shown with its position and the text is kept', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search('level:error and status:');
  await expect(discover.queryError).toContainText('at 23');
  await expect(discover.queryError.locator('pre')).toHaveText(`${' '.repeat(23)}^`);
  await expect(discover.query).toHaveValue('level:error and status:');
  await expect(page.getByTestId('search-error')).toContainText('Fix the query');
});

test('log text is shown literally and runs nothing', async ({ page }) => {
  const m = marker();
  const hostile = `<img src=x onerror="window.__owned=1"> <script>window.__owned=2</script> ${m}`;
  await seed([hostile]);
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs++;
    await d.dismiss();
  });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveCount(1);
  expect(await discover.messageTexts()).toEqual([hostile]);
  await expect(page.locator('.log-table img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
  expect(dialogs).toBe(0);
});

test('the URL holds the view: reloading a shared link gives the same search', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} disk almost full`, `INFO ${m} fine`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search(`${m} and level:warn`);
  await discover.quickRange('Last 1 hour');
  await expect(discover.rows).toHaveCount(1);
  const url = page.url();
  expect(new URL(url).searchParams.get('q')).toBe(`${m} and level:warn`);
  expect(new URL(url).searchParams.get('from')).toBe('now-1h');
  const second = new DiscoverPage(await page.context().newPage());
  await second.page.goto(url);
  await expect(second.query).toHaveValue(`${m} and level:warn`);
  await expect(second.rows).toHaveCount(1);
  await expect(second.page.getByTestId('quick-range')).toHaveValue('now-1h');
  await page.goBack();
  await expect(discover.query).toHaveValue(`${m} and level:warn`);
});

test('a custom range outside the data shows the empty state; a bad bound says why', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} now`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await discover.customRange('2020-01-01T00:00', '2020-01-02T00:00');
  await expect(page.getByTestId('empty')).toContainText('wider range');
  await discover.customRange('yesterday', 'now');
  await expect(page.getByTestId('range-error')).toContainText('"yesterday" is not a time');
});

test('a row opens into its fields and labels', async ({ page }) => {
  const m = marker();
  await seed([`{"level":"info","msg":"order placed","order":{"id":"${m}"},"latency_ms":42}`], { labels: { team: 'payments' } });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  const details = page.getByTestId('hit-details');
  await expect(details).toContainText('order.id');
  await expect(details).toContainText(m);
  await expect(details).toContainText('labels.team');
  await expect(details).toContainText('latency_ms');
});
