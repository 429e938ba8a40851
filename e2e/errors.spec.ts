// Mistakes in a query: the last good result stays (dimmed) beside the error, and a field that no
// entry has is named, with the fields the user probably meant.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('a syntax error keeps the last good result, dimmed, with the error in place', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`, `WARN ${m} two`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  await expect(discover.totalHits).toHaveText('2 hits');
  // What a screen reader announces once the count is in.
  await expect(page.getByRole('status').filter({ hasText: 'hits' })).toHaveText('2 hits');

  await discover.search(`${m} and (level:warn`);
  await expect(discover.queryError).toContainText(`at ${m.length + 16}`);
  await expect(page.getByTestId('stale-results')).toContainText('Fix the query above to search; the results below are from the last search.');
  await expect(discover.rows).toHaveCount(2); // still readable
  await expect(discover.totalHits).toHaveText('2 hits');
  await expect(page.getByTestId('results')).toHaveAttribute('aria-disabled', 'true');
  // Nothing to export for a query the server refuses: no link to a file of its error.
  await expect(page.getByTestId('export-off')).toHaveAttribute('title', 'Fix the query to export');
  await expect(page.getByTestId('export-csv')).toHaveCount(0);
  // The caret marks the searched text: once the text is edited it would point at the wrong place.
  const caret = page.locator('.error-caret');
  await expect(caret).toHaveText(`${' '.repeat(m.length + 16)}^`);
  await discover.query.press('Home');
  await discover.query.pressSequentially('x ');
  await expect(caret).toHaveCount(0);
  await expect(discover.queryError).toContainText(`at ${m.length + 16}`);
  await discover.query.press('Home');
  await discover.query.press('Delete');
  await discover.query.press('Delete');
  await expect(caret).toHaveText(`${' '.repeat(m.length + 16)}^`);

  await discover.search(`${m} and (level:warn)`);
  await expect(discover.rows).toHaveCount(1);
  await expect(page.getByTestId('export-csv')).toBeVisible();
  await expect(page.getByTestId('stale-results')).toHaveCount(0);
  await expect(page.getByTestId('results')).not.toHaveAttribute('aria-disabled', 'true');
});

test('a query the store refuses for another reason than syntax says why under the box', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  // What the engine refuses past the parser's checks (store/duckdb/engine-errors.ts) is rare
  // enough to be given here as the server answers it.
  await page.route('**/api/search?*', (route) =>
    route.fulfill({ status: 400, json: { error: { code: 'invalid_input', message: 'the store cannot run this request: a number in it is out of range' } } }),
  );
  await discover.search(`${m} and took_ms > 99999999999999999999`);
  await expect(discover.searchBar.error).toHaveText('the store cannot run this request: a number in it is out of range');
  await expect(discover.rows).toHaveCount(1); // the last good result stays
});

test('a field no entry has is named, with the closest existing one a click away', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} slow","latency_ms":5}`, `{"msg":"${m} fast","latency_ms":1}`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search(`${m} and latency:5`);
  const warning = page.getByTestId('unknown-field');
  await expect(warning).toContainText('No entry in this time range has a field "latency"; did you mean latency_ms?');
  await warning.getByRole('button', { name: 'Search with latency_ms' }).click();
  await expect(discover.query).toHaveValue(`${m} and latency_ms:5`);
  await expect(discover.rows).toHaveCount(1);
});

test('a level or namespace typed part-way is named, with the whole value a click away', async ({ page }) => {
  const m = marker();
  await seed([`ERROR ${m} broke`, `INFO ${m} fine`], { namespace: `shop-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search(`${m} and level:err and namespace:shop-${m.slice(0, 4)}`);
  const warnings = page.getByTestId('unknown-value');
  await expect(warnings).toHaveCount(2);
  await expect(warnings.first()).toContainText('No entry in this time range has level "err"; did you mean error?');
  await warnings.first().getByRole('button', { name: 'Search with level:error' }).click();
  await expect(discover.query).toHaveValue(`${m} and level:error and namespace:shop-${m.slice(0, 4)}`);
  await expect(warnings).toHaveCount(1);
  await warnings.getByRole('button', { name: `Search with namespace:shop-${m}` }).click();
  await expect(discover.query).toHaveValue(`${m} and level:error and namespace:shop-${m}`);
  await expect(discover.messages).toHaveText([`ERROR ${m} broke`]);
});

test('searching again over a fixed range asks the server again, as Kibana\'s Refresh does', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} first`]);
  const discover = new DiscoverPage(page);
  const now = Date.now();
  // A shared link, a zoom or a clicked bar: both ends fixed.
  await discover.open({ q: m, from: new Date(now - 10 * 60_000).toISOString(), to: new Date(now + 10 * 60_000).toISOString() });
  await expect(discover.rows).toHaveCount(1);
  await seed([`INFO ${m} arrived later`]);
  await discover.query.press('Enter');
  await expect(discover.rows).toHaveCount(2);
  await expect(discover.totalHits).toHaveText('2 hits');
});

test('a search the server failed can be tried again from the table', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  let failures = 2; // the first try and its automatic retry
  await page.route('**/api/search?*', (route) => (failures-- > 0 ? route.fulfill({ status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } }) : route.fallback()));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(page.getByTestId('search-error')).toContainText('the store is busy');
  await page.getByTestId('search-error').getByRole('button', { name: 'Try again' }).click();
  await expect(discover.rows).toHaveCount(1);
});

test('a search or field list that ran out of time is not run again by itself: that would double the wait', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  const timedOut = { status: 504, json: { error: { code: 'query_timeout', message: 'the query ran longer than 10 s (LOGPOND_QUERY_TIMEOUT) and was stopped; narrow the time range or the query' } } };
  const asked = { search: 0, fields: 0 };
  await page.route('**/api/search?*', (route) => (asked.search++, route.fulfill(timedOut)));
  await page.route('**/api/fields?*', (route) => (asked.fields++, route.fulfill(timedOut)));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(page.getByTestId('search-error')).toContainText('narrow the time range');
  await expect(page.getByTestId('field-list')).toContainText('Cannot list fields: the query ran longer');
  await page.waitForTimeout(2_500); // past the retry's 1 s delay
  expect(asked).toEqual({ search: 1, fields: 1 });
});

test('auto-refresh waits for a search still running instead of starting it over', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  let asked = 0;
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/search?*', async (route) => {
    asked++;
    await released; // a slow store: longer than the refresh interval
    await route.fallback();
  });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, refresh: '5s' });
  await expect(page.getByTestId('loading')).toBeVisible();
  await page.waitForTimeout(6_000); // past a tick
  expect(asked).toBe(1);
  release();
  await expect(discover.messages).toHaveText([`INFO ${m} here`]);
});

test('the field list and the patterns the server failed to read can be tried again', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  const busy = { status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } };
  let fieldFailures = 2; // the first try and its automatic retry
  await page.route('**/api/fields?*', (route) => (fieldFailures-- > 0 ? route.fulfill(busy) : route.fallback()));
  let patternFailures = 2;
  await page.route('**/api/patterns?*', (route) => (patternFailures-- > 0 ? route.fulfill(busy) : route.fallback()));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const fields = page.getByTestId('field-list');
  await expect(fields).toContainText('Cannot list fields: the store is busy');
  await fields.getByRole('button', { name: 'Try again' }).click();
  await expect(fields.getByText('namespace', { exact: true })).toBeVisible();
  // A field's own values too.
  let statFailures = 2;
  await page.route('**/api/field-stats?*', (route) => (statFailures-- > 0 ? route.fulfill(busy) : route.fallback()));
  await fields.getByText('namespace', { exact: true }).click();
  await expect(fields).toContainText('Cannot read the field: the store is busy');
  await fields.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('field-summary')).toContainText('distinct value');
  await page.getByRole('tab', { name: 'Patterns' }).click();
  await expect(page.getByTestId('patterns-error')).toContainText('the store is busy');
  await page.getByTestId('patterns-error').getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('patterns-error')).toHaveCount(0);
  await expect(page.getByTestId('pattern-row')).toHaveCount(1);
});

test('with filter pills, a syntax error still points into the query as typed', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, filters: JSON.stringify([{ field: 'level', op: 'is', value: 'warn' }]) });
  await expect(discover.rows).toHaveCount(1);
  await discover.search(`${m} and (stream:stdout`);
  // The error is at the end of what was typed, not somewhere in the query the pills make of it.
  await expect(discover.queryError).toContainText(`at ${m.length + 19}`);
  await expect.poll(() => page.locator('.error-caret').evaluate((el) => el.textContent)).toBe(`${' '.repeat(m.length + 19)}^`);
});

test('a page of older lines that failed to load keeps the lines already loaded, and can be tried again', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 300 }, (_, i) => `INFO ${m} line ${i}`));
  let failures = 0;
  // Only the next page fails: the request that carries the first page's cursor.
  await page.route(/\/api\/search\?.*cursor=/, (route) =>
    failures-- > 0 ? route.fulfill({ status: 504, json: { error: { code: 'query_timeout', message: 'the search took longer than 10 s' } } }) : route.fallback(),
  );
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  const loaded = page.getByText(/lines loaded$/);
  await expect(loaded).toHaveText('200 lines loaded');
  failures = 1; // a timeout is not tried again by itself
  await page.getByTestId('table-end').scrollIntoViewIfNeeded();
  const end = page.getByTestId('table-end');
  await expect(end).toContainText('Could not load more lines: the search took longer than 10 s');
  // The lines read so far stay where the reader is.
  await expect(loaded).toHaveText('200 lines loaded');
  await expect(page.getByTestId('search-error')).toHaveCount(0);
  await expect(discover.rows.first()).toBeAttached();
  // Nothing asks again while the end stays in view: the error holds still until Try again.
  await page.waitForTimeout(1_500);
  await expect(end).toContainText('Could not load more lines');
  await end.getByRole('button', { name: 'Try again' }).click();
  await expect(loaded).toHaveText('300 lines loaded');
  await expect(end).toHaveText('End of results.');
});

test('a sign-in proxy in front that refuses a read is not taken for a bad query', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  let accept = '';
  // oauth2-proxy answers a request that does not ask for JSON with its sign-in page and a 403.
  await page.route('**/api/search?*', (route) => {
    accept = route.request().headers().accept ?? '';
    return route.fulfill({ status: 403, contentType: 'text/html', body: '<html><body>Sign in with your company account</body></html>' });
  });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(page.getByTestId('search-error')).toContainText('a proxy in front of Logpond answered 403');
  expect(accept).toContain('application/json');
  await expect(discover.queryError).toHaveCount(0);
  await expect(page.getByTestId('search-error')).not.toContainText('Fix the query');
  await page.unroute('**/api/search?*');
  await page.getByTestId('search-error').getByRole('button', { name: 'Try again' }).click();
  await expect(discover.messages).toHaveText([`INFO ${m} here`]);
});

test('a read a proxy redirects elsewhere (to sign in again) sends the page to sign in, once, instead of failing to fetch', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  await page.route('**/api/search?*', (route) => route.fulfill({ status: 302, headers: { location: 'http://127.0.0.1:9/oauth2/start' } }));
  const visited: string[] = [];
  page.on('request', (request) => request.isNavigationRequest() && request.frame() === page.mainFrame() && visited.push(new URL(request.url()).pathname));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  // Sign-in is off on this server, so /login sends the page straight back; the second redirect
  // then says so rather than going round again.
  await expect(page.getByTestId('search-error')).toContainText('sent the request elsewhere');
  expect(visited.filter((p) => p === '/login')).toHaveLength(1);
  expect(new URL(page.url()).searchParams.get('q')).toBe(m);
});
