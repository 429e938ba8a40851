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
  await discover.screenshot('results');
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
  await discover.searchBar.expectFirstSuggestion(namespace);
  await discover.searchBar.expectFirstSuggestion('2');
  await page.keyboard.press('ArrowDown'); // into the list
  await page.keyboard.press('Enter'); // takes the highlighted suggestion
  await expect(discover.query).toHaveValue(`namespace:${namespace} `);
  await page.keyboard.press('Enter'); // searches
  await expect(discover.rows).toHaveCount(2);
});

test('inside namespace:( … ) the values of the namespace are offered, not field names', async ({ page }) => {
  const m = marker();
  await seed([`hello ${m}`], { namespace: `ns-${m}` });
  await seed([`again ${m}`], { namespace: `other-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`namespace:(ns-${m.slice(0, 4)}`);
  await discover.searchBar.expectFirstSuggestion(`ns-${m}`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.type(`or other-${m.slice(0, 4)}`); // a value taken is followed by a space
  await discover.searchBar.expectFirstSuggestion(`other-${m}`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.keyboard.type(')');
  await expect(discover.query).toHaveValue(`namespace:(ns-${m} or other-${m} )`);
  await page.keyboard.press('Enter');
  await expect(discover.rows).toHaveCount(2);
});

test('after pattern: the shapes of the newest lines are offered, and the one taken keeps only its lines', async ({ page }) => {
  const m = marker();
  await seed([`card ${m} declined for order 17`, `card ${m} declined for order 18`, `INFO ${m} other`, `card ${m} declined for order 19`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.keyboard.press('/');
  await page.keyboard.type(`${m} and pattern:DECLINED`);
  await discover.searchBar.expectFirstSuggestion(`card ${m} declined for order <_>`);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(discover.query).toHaveValue(`${m} and pattern:"card ${m} declined for order <_>" `);
  await page.keyboard.press('Enter');
  await expect(discover.rows).toHaveCount(3);
});

test('a syntax error is shown with its position and the text is kept', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  // The first search's result is in: it is the one kept, dimmed, beside the error.
  await expect(discover.rows.first().or(page.getByTestId('empty'))).toBeVisible();
  await discover.search('level:error and status:');
  await expect(discover.queryError).toContainText('at 23');
  await expect(discover.queryError.locator('pre')).toHaveText(`${' '.repeat(23)}^`);
  await expect(discover.query).toHaveValue('level:error and status:');
  await expect(page.getByTestId('stale-results')).toContainText('Fix the query');
  await discover.screenshot('syntax-error');
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
  await expect(discover.rows).toHaveCount(1);
  await discover.quickRange('Last 1 hour');
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('now-1h'); // the URL follows the view
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

test('a bad bound typed and never applied says why when the query box searches without it', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} now`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await page.getByTestId('range-from').fill('yesterday');
  await discover.search(`${m} or nothing`);
  await expect(page.getByTestId('range-input-error')).toHaveText('Not applied: "yesterday" is not a time (try now-1h or 2026-11-25T10:00)');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(`${m} or nothing`);
  expect(new URL(page.url()).searchParams.get('from')).toBeNull(); // the range it had: the default
});

test('a custom range outside the data shows the empty state; a bad bound says why', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} now`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await discover.customRange('2020-01-01T00:00', '2020-01-02T00:00');
  await expect(page.getByTestId('empty')).toContainText('No lines match in this time range. Try a wider time range or fewer terms.');
  await discover.customRange('yesterday', 'now');
  // Refused in place, as Kibana's picker does: the box says what is wrong, the range and its
  // results stay.
  await expect(page.getByTestId('range-input-error')).toHaveText('Not applied: "yesterday" is not a time (try now-1h or 2026-11-25T10:00)');
  await expect(page.getByTestId('range-from')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('range-to')).not.toHaveAttribute('aria-invalid');
  await expect(page.getByTestId('empty')).toContainText('No lines match in this time range. Try a wider time range or fewer terms.');
  expect(new URL(page.url()).searchParams.get('from')).toBe('2020-01-01T00:00:00.000Z');
  // A start after the end marks both; a search from the query box keeps the range it had.
  await discover.customRange('now-1h', 'now-2h');
  await expect(page.getByTestId('range-input-error')).toHaveText('Not applied: the start of the range must be before its end');
  await expect(page.getByTestId('range-to')).toHaveAttribute('aria-invalid', 'true');
  await discover.search(`${m} or nothing`);
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(`${m} or nothing`);
  expect(new URL(page.url()).searchParams.get('from')).toBe('2020-01-01T00:00:00.000Z');
  // A bound outside the times a line can have marks its own box only; a range set another way
  // (a quick range) ends the refusal.
  await discover.customRange('1960-01-01T00:00', '2020-01-02T00:00');
  await expect(page.getByTestId('range-input-error')).toContainText('is outside the times a log line can have');
  await expect(page.getByTestId('range-from')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('range-to')).not.toHaveAttribute('aria-invalid');
  await discover.quickRange('Last 1 hour');
  await expect(page.getByTestId('range-input-error')).toHaveCount(0);
  await expect(page.getByTestId('range-from')).not.toHaveAttribute('aria-invalid');
  // A link with a bad bound has no results to keep: it says why where they would be.
  await discover.open({ q: m, from: 'yesterday' });
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

test('the keyboard path: focus, query, suggestions, search, open a row, find in results', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} alpha`, `ERROR ${m} beta`, `INFO ${m} gamma beta`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.keyboard.press('/');
  await page.keyboard.type(`${m} and lev`);
  await discover.searchBar.expectFirstSuggestion('level:');
  await page.keyboard.press('Tab'); // takes "level:"
  await page.keyboard.type('err');
  await discover.searchBar.expectFirstSuggestion('error');
  await page.keyboard.press('Tab'); // takes "error"
  await expect(discover.query).toHaveValue(`${m} and level:error `);
  await page.keyboard.press('Enter'); // searches
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.messages).toHaveText([`ERROR ${m} beta`]);
  await page.keyboard.press('ArrowDown'); // from the query to the first row
  await expect(discover.rows.first()).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('hit-details')).toBeVisible();

  await discover.search(m);
  await expect(discover.rows).toHaveCount(3);
  await page.keyboard.press('Control+f');
  await expect(page.getByTestId('find')).toBeFocused();
  await page.keyboard.type('beta');
  // Said aloud as it changes, as the hit count is.
  await expect(page.getByRole('status').filter({ hasText: /of 2$/ })).toHaveText('1 of 2');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: /of 2$/ })).toHaveText('2 of 2');
  await expect(page.locator('tr.hit.marked')).toContainText(`ERROR ${m} beta`);
});

test('dragging across the histogram zooms the time range, wherever the drag is released', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 20 }, (_, i) => `${m} tick ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-30m' });
  await expect(discover.rows).toHaveCount(20);
  await discover.histogram.drag(0.2, 0.5);
  await expect.poll(() => new URL(page.url()).searchParams.get('from') ?? '').toMatch(/^\d{4}-\d\d-\d\dT/);
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
  expect(span).toBeGreaterThan(0);
  expect(span).toBeLessThan(30 * 60_000 * 0.5);
  await expect(page.getByTestId('quick-range')).toHaveValue('custom');

  // Let go below the chart, over the table: the zoom still happens, and no selection stays behind.
  const zoomed = page.url();
  await discover.histogram.drag(0.3, 0.7, { releaseOutside: true });
  await expect.poll(() => page.url()).not.toBe(zoomed);
  await expect(page.locator('.recharts-reference-area')).toHaveCount(0);

  // A quick flick, released off the chart before it saw the pointer cross a bar: zoomed all the same.
  const flicked = page.url();
  await discover.histogram.flick(0.2, 0.8);
  await expect.poll(() => page.url()).not.toBe(flicked);
});

test('a 1 MB line shows a preview with "show all" and the page stays responsive', async ({ page }) => {
  const m = marker();
  const huge = `${m} ${'x'.repeat(1_048_576)}`;
  await seed([huge, `${m} small`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  const big = discover.messages.nth(1);
  await discover.rows.nth(1).click(); // an open row wraps, and offers the rest
  await expect(big.getByRole('button', { name: /show all \(1,048,5\d\d characters\)/ })).toBeVisible();
  expect((await big.innerText()).length).toBeLessThan(3_000);
  const started = Date.now();
  await big.getByRole('button', { name: /show all/ }).click();
  await expect.poll(async () => (await big.innerText()).length).toBeGreaterThan(1_000_000);
  await discover.search(`${m} and small`);
  await expect(discover.rows).toHaveCount(1);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('auto-refresh brings new lines in without a reload', async ({ page }) => {
  const m = marker();
  await seed([`${m} first`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await discover.timePicker.autoRefresh('5s');
  await expect.poll(() => new URL(page.url()).searchParams.get('refresh')).toBe('5s');
  await seed([`${m} second`]);
  await expect(discover.rows).toHaveCount(2, { timeout: 12_000 });
  await expect(discover.totalHits).toHaveText('2 hits');
  // A count that changes every few seconds is not read out each time.
  await expect(discover.totalHits).toHaveAttribute('aria-live', 'off');
});
