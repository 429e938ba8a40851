// Live tail keeps the count, histogram and row order true; context, calendar and the tab icon do
// what a reader expects of them.
import { expect, type Page, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed, seedAt, serverUrl } from './seed';

test('while tailing, the hit count grows and rows stay in time order', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} before`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('1 hit');
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();

  await seed([`INFO ${m} newest of the first batch`]); // stamped a second before it is sent
  await expect(discover.rows).toHaveCount(2);
  await seed([`INFO ${m} late a`, `INFO ${m} late b`, `INFO ${m} late c`]); // stamped 3, 2 and 1 s before
  await expect(discover.rows).toHaveCount(5);
  const times = await page.locator('[data-testid=hit-row] td.col-time').allInnerTexts();
  expect([...times].sort().reverse()).toEqual(times);
  await expect(discover.totalHits).toHaveText('5 hits', { timeout: 15_000 });
});

test('while tailing, the range shown, the export and a shared link move with the count', async ({ page }) => {
  test.setTimeout(45_000);
  const m = marker();
  await seed([`INFO ${m} before`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('1 hit');
  const shown = page.getByTestId('resolved-range');
  const exportTo = async () => Number(new URL((await page.getByTestId('export-ndjson').getAttribute('href'))!, serverUrl()).searchParams.get('to'));
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();
  await expect(discover.totalHits).toHaveText('1 hit'); // the search again that turning it on makes
  const started = await shown.innerText();
  const exportedAt = await exportTo();
  // The count re-reads up to now every few seconds; what the page says it covers goes along.
  await expect(shown).not.toHaveText(started, { timeout: 15_000 });
  expect(await exportTo()).toBeGreaterThan(exportedAt);
  await page.getByRole('button', { name: 'Share' }).click();
  const to = Date.parse(new URL(await page.getByTestId('share-url').inputValue()).searchParams.get('to')!);
  expect(to).toBeGreaterThan(exportedAt);
});

test('tailing from a past range moves the range to the same span ending now', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} just now`]);
  const discover = new DiscoverPage(page);
  const now = Date.now();
  await discover.open({ q: m, from: new Date(now - 40 * 60_000).toISOString(), to: new Date(now - 10 * 60_000).toISOString() });
  await expect(discover.totalHits).toHaveText('0 hits');
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('now-30m');
  await expect(discover.totalHits).toHaveText('1 hit');
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();
  await seed([`INFO ${m} newer`]);
  await expect(discover.messages).toHaveText([`INFO ${m} newer`, `INFO ${m} just now`]);
});

/**
 * A line, the page opened on it, a second line stored after that search and long enough before
 * the tail starts that the tail does not send it, then the tail on: it must come from a search.
 */
async function tailAfterAGap(page: Page, view: Record<string, string> = {}) {
  const m = marker();
  await seed([`INFO ${m} first`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, ...view });
  await expect(discover.messages).toHaveText([`INFO ${m} first`]);
  await seed([`INFO ${m} between`]);
  await page.waitForTimeout(3_000); // older than what a tail sends of the moments before it began
  const tail = page.getByTestId('live-tail').getByRole('checkbox');
  await tail.check();
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();
  await expect(discover.messages).toHaveText([`INFO ${m} between`, `INFO ${m} first`]);
  await seed([`INFO ${m} tailed`]);
  await expect(discover.messages.first()).toHaveText(`INFO ${m} tailed`);
  return { m, discover, tail };
}

test('starting the tail shows what came since the search, and stopping it keeps what it showed', async ({ page }) => {
  const { m, discover, tail } = await tailAfterAGap(page);
  await tail.uncheck();
  await expect(discover.totalHits).toHaveText('3 hits');
  await expect(discover.messages).toHaveText([`INFO ${m} tailed`, `INFO ${m} between`, `INFO ${m} first`]);
});

test('stopping the tail keeps its lines on screen while the search up to now runs', async ({ page }) => {
  const { m, discover, tail } = await tailAfterAGap(page);
  // A busy server: the search that stopping makes takes a while to answer.
  let release = () => {};
  const answered = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/search?*', async (route) => {
    await answered;
    await route.continue();
  });
  await tail.uncheck();
  await expect(discover.totalHits).toBeVisible();
  await page.waitForTimeout(500); // the page has rendered the stop; the search is still held
  await expect(discover.messages).toHaveText([`INFO ${m} tailed`, `INFO ${m} between`, `INFO ${m} first`]);
  release();
  await expect(discover.totalHits).toHaveText('3 hits');
  await expect(discover.messages).toHaveText([`INFO ${m} tailed`, `INFO ${m} between`, `INFO ${m} first`]);
});

test('tailing from an oldest-first table turns it newest first with what came since, and sorting it back stops the tail and keeps its rows', async ({ page }) => {
  const { m, discover, tail } = await tailAfterAGap(page, { order: 'asc' });
  await page.getByRole('button', { name: 'Time ↓' }).click();
  await expect(tail).not.toBeChecked();
  await expect(discover.messages).toHaveText([`INFO ${m} first`, `INFO ${m} between`, `INFO ${m} tailed`]);
});

test('choosing a past range while tailing stops the tail, so new lines do not mix with the range', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} recent`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const tail = page.getByTestId('live-tail').getByRole('checkbox');
  await tail.check();
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();
  const now = Date.now();
  await discover.customRange(new Date(now - 3 * 3_600_000).toISOString(), new Date(now - 2 * 3_600_000).toISOString());
  await expect(tail).not.toBeChecked();
  await expect(discover.totalHits).toHaveText('0 hits');
  await seed([`INFO ${m} after the range`]);
  await page.waitForTimeout(3_000);
  await expect(discover.messages).toHaveCount(0);
  // Tailing again moves the range to now; Back to the past range leaves the tail as well.
  await tail.check();
  await expect(discover.messages.first()).toHaveText(`INFO ${m} after the range`);
  await page.goBack();
  await expect(discover.totalHits).toHaveText('0 hits');
  await expect(tail).not.toBeChecked();
});

test('a live tail the server fails says so beside the switch, and one it refuses says it stopped', async ({ page }) => {
  const discover = new DiscoverPage(page);
  let server: 'failing' | 'refusing' | 'well' = 'failing';
  await page.route('**/api/tail?*', (route) =>
    server === 'refusing'
      ? route.fulfill({ status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } })
      : server === 'failing'
        ? route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'retry: 500\nevent: error\ndata: {"code":"query_timeout","message":"reading the new lines took too long"}\n\n' })
        : route.fallback(),
  );
  await discover.open();
  const tail = page.getByTestId('live-tail').getByRole('checkbox');
  await tail.check();
  await expect(page.getByTestId('tail-problem')).toHaveText('Live tail: reading the new lines took too long; trying again');
  // Once the stream holds again, the warning goes, lines or none.
  server = 'well';
  await expect(page.getByTestId('tail-problem')).toHaveCount(0, { timeout: 15_000 });
  server = 'refusing';
  await tail.uncheck();
  await tail.check();
  await expect(page.getByTestId('tail-problem')).toHaveText('Live tail stopped: the server refused the stream; turn it off and on to try again');
});

/**
 * The page's first tail stream sends `shown`'s lines, its event id the first line's, and ends, as a
 * connection cut by a proxy does; the browser opens it again by itself `retryMs` later, sending
 * that id (Chromium adds the Last-Event-ID header below the layer Playwright sees requests at),
 * and from then on the real server answers. Returns how many tail requests came.
 */
async function dropFirstTailAfter(page: Page, shown: { hits: { id: string }[]; sources: unknown }, retryMs: number): Promise<() => number> {
  let requests = 0;
  await page.route('**/api/tail?*', async (route) => {
    if (++requests > 1) return route.fallback();
    await route.fulfill({
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: `retry: ${retryMs}\n\nevent: hits\ndata: ${JSON.stringify({ hits: shown.hits, sources: shown.sources })}\nid: ${shown.hits[0].id}\n\n`,
    });
  });
  return () => requests;
}

test('a tail whose stream drops picks up after the last line it showed, with the lines that came meanwhile', async ({ page }) => {
  const m = marker();
  const now = Date.now();
  await seedAt([{ ts: new Date(now - 30_000).toISOString(), message: `ERROR ${m} shown before the drop` }]);
  const shown = await (await fetch(`${serverUrl()}/api/search?${new URLSearchParams({ q: m, from: String(now - 60_000), to: String(now) })}`)).json();
  // The first stream sends that line and ends; the browser opens it again, saying the last line
  // it got. The line stored meanwhile is stamped 20 s back: a tail opened afresh would not send
  // it, and no search runs after it is stored.
  const tailRequests = await dropFirstTailAfter(page, shown, 2_000);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveText([`ERROR ${m} shown before the drop`]);
  const searched = page.waitForResponse((r) => r.url().includes('/api/search?'));
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await searched;
  await expect.poll(tailRequests).toBe(1);
  await seedAt([{ ts: new Date(now - 20_000).toISOString(), message: `ERROR ${m} stored while the stream was down` }]);
  await expect(discover.messages).toHaveText([`ERROR ${m} stored while the stream was down`, `ERROR ${m} shown before the drop`], { timeout: 15_000 });
});

test('a tail back after a long break says which lines it skipped, until the next search', async ({ page }) => {
  const m = marker();
  const now = Date.now();
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  await seedAt([
    { ts: at(15), message: `ERROR ${m} the last line shown` },
    { ts: at(12), message: `ERROR ${m} in the break, skipped` },
    { ts: at(5), message: `ERROR ${m} within what a reconnect catches up on` },
  ]);
  const last = await (await fetch(`${serverUrl()}/api/search?${new URLSearchParams({ q: `${m} shown`, from: String(now - 20 * 60_000), to: String(now) })}`)).json();
  await dropFirstTailAfter(page, last, 500);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1m' });
  await expect(discover.totalHits).toHaveText('0 hits');
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  const skipped = page.getByTestId('tail-skipped');
  await expect(skipped).toHaveText(/^Live tail was away: lines from \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? to .* are not in the table\. Search to see them\.$/);
  await expect(discover.messages).toHaveText([`ERROR ${m} within what a reconnect catches up on`, `ERROR ${m} the last line shown`]);
  await discover.query.press('Enter');
  await expect(skipped).toHaveCount(0);
});

test('a live tail turned on while searches fail on the server still connects; a query the server refuses holds it with a reason', async ({ page }) => {
  await page.route('**/api/search?*', (route) => route.fulfill({ status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } }));
  const discover = new DiscoverPage(page);
  await discover.open({ q: marker() });
  const tail = page.getByTestId('live-tail');
  await tail.getByRole('checkbox').check();
  await expect(page.getByTestId('search-error')).toBeVisible(); // the search the switch ran failed too
  await expect(tail.getByLabel('connected')).toBeVisible();
  await page.unroute('**/api/search?*');
  await discover.search('status:');
  await expect(page.getByTestId('tail-problem')).toHaveText('Live tail waits for a query the server can read');
  await expect(tail.getByLabel('connecting')).toHaveCount(0);
});

test('context in a wider scope centres the chosen line once its lines arrive', async ({ page }) => {
  const m = marker();
  const node = `node-${m}`;
  await seed(Array.from({ length: 60 }, (_, i) => `${m} app ${i}`), { node, pod: `a-${m}`, podUid: `ua-${m}`, container: 'app' });
  // Tall neighbours (stack traces) push the chosen line down once the node's lines replace the container's.
  const trace = Array.from({ length: 8 }, (_, k) => `\n    at com.example.Service${k}.call(Service.java:${k + 10})`).join('');
  await seed(Array.from({ length: 60 }, (_, i) => `${m} other ${i} failed${trace}`), { node, pod: `b-${m}`, podUid: `ub-${m}`, container: 'db' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} app 30"` });
  await discover.rows.first().click();
  await page.getByTestId('view-context').click();
  const context = page.getByTestId('context');
  await expect(context.locator('tr.marked')).toBeInViewport();
  await context.getByTestId('context-scope').selectOption('node');
  await expect(context).toContainText(`${m} other 30`);
  await expect(context.locator('tr.marked')).toContainText(`${m} app 30`);
  await expect(context.locator('tr.marked')).toBeInViewport();
});

test('the calendar starts at the range shown', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open({ from: 'now-1h' });
  const shown = (await page.getByTestId('resolved-range').innerText()).split(' → ');
  await page.getByText('Calendar').click();
  // A datetime-local input leaves out seconds that are :00 (one run in sixty).
  const asInput = (text: string) => text.replace(' ', 'T').replace(/:00$/, '');
  const value = (label: string) => page.getByLabel(label).inputValue().then((v) => v.replace(/:00$/, ''));
  await expect.poll(() => value('Start on a calendar')).toBe(asInput(shown[0]));
  await expect.poll(() => value('End on a calendar')).toBe(asInput(shown[1].replace(/ \(.*\)$/, '')));

  // A day picked goes into the box as the chosen zone's wall clock, as typed times are; Apply
  // closes the calendar, and Escape does too.
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
  await page.getByLabel('Start on a calendar').fill('2026-11-25T09:00:30');
  await expect(page.getByTestId('range-from')).toHaveValue('2026-11-25 09:00:30');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2026-11-25T00:00:30.000Z');
  await expect(page.getByLabel('Start on a calendar')).toBeHidden();
  await page.getByText('Calendar').click();
  await expect(page.getByLabel('Start on a calendar')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Start on a calendar')).toBeHidden();
});

test('the calendar opened after a search again starts at the range that search covered', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open({ from: 'now-1h' });
  const shown = page.getByTestId('resolved-range');
  const first = await shown.innerText();
  await page.waitForTimeout(1_100); // a second on, so "now" resolves to another second
  await discover.query.click();
  await page.keyboard.press('Enter');
  await expect(shown).not.toHaveText(first);
  const [from] = (await shown.innerText()).split(' → ');
  await page.getByText('Calendar').click();
  const value = (label: string) => page.getByLabel(label).inputValue().then((v) => v.replace(/:00$/, ''));
  await expect.poll(() => value('Start on a calendar')).toBe(from.replace(' ', 'T').replace(/:00$/, ''));
});

test('the page has an icon', async ({ request }) => {
  const icon = await request.get(`${serverUrl()}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()['content-type']).toContain('image/');
});

test('Copy says it copied, also where the page has no clipboard API (plain HTTP beyond loopback)', async ({ page, context }) => {
  const m = marker();
  await seed([`INFO ${m} copy me`]);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.messages.first().click();
  const copyMessage = page.getByRole('button', { name: 'Copy message' });
  await copyMessage.click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await clipboard()).toBe(`INFO ${m} copy me`);

  // An origin that is not secure has no navigator.clipboard at all.
  const insecure = await context.newPage();
  await insecure.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  const other = new DiscoverPage(insecure);
  await other.open({ q: m });
  await other.messages.first().click();
  await insecure.getByRole('button', { name: 'Copy JSON' }).click();
  await expect(insecure.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(JSON.parse(await clipboard())).toMatchObject({ message: `INFO ${m} copy me` });
  await insecure.getByRole('button', { name: 'Share' }).click();
  await insecure.getByRole('group', { name: 'Share this view' }).getByRole('button', { name: 'Copy' }).click();
  await expect(insecure.getByRole('group', { name: 'Share this view' }).getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await clipboard()).toContain(`q=${m}`);
});
