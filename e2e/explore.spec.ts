// Narrowing a result from the field list and the rows, reading context, tailing, exporting.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed, serverUrl } from './seed';

test('a field value filters in, then out, and a disabled pill stops filtering', async ({ page }) => {
  const m = marker();
  await seed([`${m} one`, `${m} two`, `${m} three`], { namespace: `alpha-${m}` });
  await seed([`${m} four`], { namespace: `beta-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(4);
  await discover.openField('namespace');
  await expect(discover.topValues).toHaveCount(2);
  await expect(discover.topValues.first()).toContainText(`alpha-${m}`);
  await expect(discover.topValues.first()).toContainText('75%');
  await discover.screenshot('field-values');
  await page.getByRole('button', { name: `Filter for namespace alpha-${m}` }).click();
  await expect(discover.rows).toHaveCount(3);
  await expect(discover.pills).toHaveText([`namespace: alpha-${m}×`]);
  await discover.pills.first().getByRole('button', { name: `namespace: alpha-${m}`, exact: true }).click();
  await expect(page.getByRole('menuitem')).toHaveText(['Edit filter', 'Edit value', 'Exclude results', 'Temporarily disable', 'Delete']);
  await page.getByRole('menuitem', { name: 'Exclude results' }).click();
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.messages).toHaveText([`${m} four`]);
  // The menu from the keyboard: the focus stays on the pill it acted on, and goes into its menu.
  const negated = discover.pills.first().getByRole('button', { name: `NOT namespace: alpha-${m}`, exact: true });
  await expect(negated).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Edit filter' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Temporarily disable' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(discover.rows).toHaveCount(4);
  await expect(negated).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(negated).toBeFocused();
  await negated.click();
  await discover.totalHits.click(); // anywhere else closes it
  await expect(page.getByRole('menu')).toHaveCount(0);
  await page.getByRole('button', { name: `Delete NOT namespace: alpha-${m}` }).click();
  await expect(discover.pills).toHaveCount(0);
  // Gone with the last pill, the focus goes to the query, not to the top of the page.
  await expect(discover.query).toBeFocused();
});

test('filtering out a value filtered in turns its pill around, and filtering again turns a disabled pill back on', async ({ page }) => {
  const m = marker();
  await seed([`${m} one`, `${m} two`], { namespace: `alpha-${m}` });
  await seed([`${m} three`], { namespace: `beta-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.openField('namespace');
  await page.getByRole('button', { name: `Filter for namespace alpha-${m}` }).click();
  await expect(discover.rows).toHaveCount(2);
  await page.getByRole('button', { name: `Filter out namespace alpha-${m}` }).click();
  await expect(discover.pills).toHaveText([`NOT namespace: alpha-${m}×`]);
  await expect(discover.messages).toHaveText([`${m} three`]);
  await discover.pills.first().getByRole('button', { name: `NOT namespace: alpha-${m}`, exact: true }).click();
  await page.getByRole('menuitem', { name: 'Temporarily disable' }).click();
  await expect(discover.rows).toHaveCount(3);
  await page.getByRole('button', { name: `Filter out namespace alpha-${m}` }).click();
  await expect(discover.pills).toHaveText([`NOT namespace: alpha-${m}×`]);
  await expect(discover.messages).toHaveText([`${m} three`]);
});

test('a row field filters the result and becomes a column', async ({ page }) => {
  const m = marker();
  await seed([`{"level":"warn","msg":"${m} slow","route":"/cart"}`, `{"level":"warn","msg":"${m} slow","route":"/pay"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  await discover.rows.first().click();
  await page.getByTestId('hit-details').getByRole('button', { name: 'Filter for route' }).click();
  await expect(discover.rows).toHaveCount(1);
  await expect(discover.messages.first()).toContainText('/pay');
  await discover.openField('route');
  await page.getByRole('button', { name: 'Add column' }).click();
  await expect(page.locator('th.col-field .col-name')).toHaveText(['route']);
  await expect(page.locator('td.col-field').first()).toHaveText('/pay');
  expect(new URL(page.url()).searchParams.get('cols')).toBe('route');
  // The message is always the table's last column: it offers no second one.
  await discover.openField('message');
  await expect(page.getByTestId('field-details')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add column' })).toHaveCount(0);
});

test('surrounding lines come from the chosen scope with the line marked', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 30 }, (_, i) => `${m} line ${i}`), { pod: `p-${m}`, podUid: `u-${m}`, container: 'app' });
  await seed([`${m} sidecar says hi`], { pod: `p-${m}`, podUid: `u-${m}`, container: 'sidecar' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} line 15"` });
  await discover.rows.first().click();
  await page.getByTestId('view-context').click();
  const context = page.getByTestId('context');
  // A modal dialog: the focus goes to the marked line, ↑ ↓ read on among the dialog's lines, and
  // the page behind it takes no keys.
  await expect(context.locator('tr.marked')).toContainText(`${m} line 15`);
  await expect(context.locator('tr.marked')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(context.getByTestId('hit-row').filter({ hasText: `${m} line 14` })).toBeFocused();
  await page.keyboard.press('/');
  await expect(discover.query).not.toBeFocused();
  await expect(context.getByTestId('hit-row')).toHaveCount(30);
  await expect(context).not.toContainText('sidecar says hi');
  // Each scope names what it keeps to, as Grafana's context names its labels.
  await expect(context.getByTestId('context-scope').locator('option')).toHaveText(['Same container (app)', `Same pod (p-${m})`, /^Same node/, 'Everything within']);
  await context.getByTestId('context-scope').selectOption('pod');
  await expect(context).toContainText('sidecar says hi');
  await context.getByTestId('context-scope').selectOption('all');
  await context.getByTestId('context-seconds').selectOption('1');
  // One line a second: within ±1 s are its neighbours, not lines two seconds away.
  await expect(context).toContainText(`${m} line 14`);
  await expect(context).toContainText(`${m} line 16`);
  await expect(context).not.toContainText(`${m} line 12`);
  await expect(context).not.toContainText(`${m} line 18`);
  await discover.screenshot('context');
  await page.keyboard.press('Escape');
  await expect(context).toHaveCount(0);
  await expect(page.getByTestId('view-context')).toBeFocused(); // back where the reader was
});

test('surrounding lines opened and closed leave no step for Back to reopen them', async ({ page }) => {
  const m = marker();
  await seed([`${m} first`, `${m} second`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} first` });
  await discover.search(`${m} second`);
  await expect(discover.messages).toHaveText([`${m} second`]);
  await discover.rows.first().click();
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('view-context').click();
    await expect(page.getByTestId('context')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('context')).toHaveCount(0);
  }
  // Back goes to the search before, as Kibana's document flyout adds no step either.
  await page.goBack();
  await expect(discover.query).toHaveValue(`${m} first`);
  await expect(discover.messages).toHaveText([`${m} first`]);
  await expect(page.getByTestId('context')).toHaveCount(0);
});

test('loading earlier lines of the context says so while they come, not that there are none', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 50 }, (_, i) => `${m} line ${i}`), { pod: `p-${m}`, podUid: `u-${m}`, container: 'app' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} line 30"` });
  await discover.rows.first().click();
  await page.getByTestId('view-context').click();
  const context = page.getByTestId('context');
  await expect(context.getByTestId('hit-row')).toHaveCount(40);
  // A slow answer, as from a busy server.
  await page.route(/\/api\/context\?/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  const earlier = context.getByTestId('context-earlier');
  await earlier.click();
  await expect(earlier).toHaveText('Loading earlier lines…');
  await expect(context.getByTestId('hit-row')).toHaveCount(50);
  await expect(earlier).toHaveText('No earlier lines in scope');
  await expect(context.getByTestId('context-later')).toHaveText('No later lines in scope');
});

test('the context says when a new scope is loading, and a failed load keeps the lines shown and can be tried again', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 5 }, (_, i) => `${m} line ${i}`), { pod: `p-${m}`, podUid: `u-${m}`, container: 'app' });
  await seed([`${m} sidecar says hi`], { pod: `p-${m}`, podUid: `u-${m}`, container: 'sidecar' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} line 2"` });
  await discover.rows.first().click();
  await page.getByTestId('view-context').click();
  const context = page.getByTestId('context');
  await expect(context.getByTestId('hit-row')).toHaveCount(5);

  let answer: 'slow' | 'fail' | 'pass' = 'slow';
  await page.route(/\/api\/context\?/, async (route) => {
    if (answer === 'fail') return route.fulfill({ status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } });
    if (answer === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_500));
    return route.continue();
  });
  await context.getByTestId('context-scope').selectOption('pod');
  // The container's lines stay while the pod's come, marked as not the new scope's yet.
  await expect(context.getByTestId('context-lines')).toHaveAttribute('aria-busy', 'true');
  await expect(context.getByTestId('context-earlier')).toHaveText('Loading…');
  await expect(context).toContainText('sidecar says hi');
  await expect(context.getByTestId('context-lines')).not.toHaveAttribute('aria-busy', 'true');

  answer = 'fail';
  await context.getByTestId('context-scope').selectOption('node');
  await expect(context.getByRole('alert')).toContainText('Cannot load these lines: the store is busy');
  await expect(context.getByTestId('hit-row')).toHaveCount(6); // the pod's, still readable
  answer = 'pass';
  await context.getByRole('button', { name: 'Try again' }).click();
  await expect(context.getByRole('alert')).toHaveCount(0);
  await expect(context.getByTestId('context-lines')).not.toHaveAttribute('aria-busy', 'true');
  await expect(context.getByTestId('context-scope')).toHaveValue('node');
});

test('live tail shows a freshly ingested line without a reload', async ({ page }) => {
  const m = marker();
  await seed([`${m} before`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').locator('.dot.on')).toBeVisible();
  await seed([`${m} arrived live`]);
  await expect(discover.messages.first()).toHaveText(`${m} arrived live`, { timeout: 10_000 });
  await expect(discover.rows).toHaveCount(2);
});

test('a tail started on a search with no lines waits for them, and the Patterns tab says it does not follow the tail', async ({ page }) => {
  const m = marker();
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(page.getByTestId('empty')).toContainText('No lines match in this time range');
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').getByLabel('connected')).toBeVisible();
  await expect(page.getByTestId('empty')).toHaveText('Waiting for new lines: the live tail shows them here as they are stored.');
  await seed([`${m} arrived live`]);
  await expect(discover.messages).toHaveText([`${m} arrived live`], { timeout: 10_000 });

  await page.getByRole('tab', { name: 'Patterns' }).click();
  await expect(page.getByTestId('patterns-not-live')).toHaveText('Live tail adds new lines to Documents only: these patterns are of the search.');
  await page.getByTestId('live-tail').getByRole('checkbox').uncheck();
  await expect(page.getByTestId('patterns-not-live')).toHaveCount(0);
});

test('export downloads every matching line', async ({ page }) => {
  const m = marker();
  await seed([`${m} a`, `${m} b`, `other`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  const href = await page.getByTestId('export-ndjson').getAttribute('href');
  const body = await (await fetch(`${serverUrl()}${href}`)).text();
  expect(body.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual([`${m} b`, `${m} a`]);
});

test('thousands of loaded lines keep only a screenful in the DOM, and find reaches any of them', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 1_500 }, (_, i) => `${m} line ${i}${i === 3 ? ' needle' : ''}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  const loaded = page.getByText(/lines loaded$/);
  for (let i = 0; i < 20 && !(await page.getByTestId('table-end').innerText()).includes('End of results'); i++) {
    await page.getByTestId('table-end').scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
  }
  await expect(loaded).toHaveText('1,500 lines loaded');
  expect(await discover.rows.count()).toBeLessThan(200);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByTestId('find').fill('needle');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await expect(page.locator('tr.hit.marked')).toContainText(`${m} line 3 needle`);
  await expect(page.locator('tr.hit.marked')).toBeInViewport();
});

test('after find has shown a match, the reader scrolls on without being pulled back to it', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 600 }, (_, i) => `${m} line ${i}${i === 597 ? ' needle' : ''}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await page.getByTestId('find').fill('needle');
  await expect(page.locator('tr.hit.marked')).toBeInViewport();
  // Down the table as a reader goes, with the wheel: rows come into view and are measured, and
  // the next page is loaded on the way.
  await page.mouse.move(400, 400);
  for (let i = 0; i < 12; i++) {
    await page.mouse.wheel(0, 1_500);
    await page.waitForTimeout(100);
  }
  await expect(page.getByText(/lines loaded$/)).not.toHaveText('200 lines loaded');
  await page.waitForTimeout(1_000);
  await expect(page.locator('tr.hit.marked')).not.toBeInViewport();
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(5_000);
});

test('a line tailed in while finding keeps the match the reader stepped to', async ({ page }) => {
  const m = marker();
  await seed([`${m} first needle`, `${m} plain`, `${m} second needle`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').locator('.dot.on')).toBeVisible();
  const find = page.getByTestId('find');
  await find.click();
  await page.keyboard.type('needle');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 2');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText('2 of 2');
  await expect(page.locator('tr.hit.marked')).toContainText(`${m} first needle`);
  await seed([`${m} tailed needle`]);
  await expect(discover.messages.first()).toHaveText(`${m} tailed needle`);
  await expect(page.getByTestId('find-count')).toHaveText('3 of 3');
  await expect(page.locator('tr.hit.marked')).toContainText(`${m} first needle`);
});

test('live tail holds new lines while the reader is scrolled down, and shows them on return', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 120 }, (_, i) => `${m} old ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').locator('.dot.on')).toBeVisible();
  // The first poll also sends what arrived in the 2 s before the tail began: let it land first.
  await page.waitForTimeout(2_500);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
  await seed([`${m} arrived while away`]);
  await expect(page.getByTestId('new-lines')).toHaveText('1 new line — back to the top', { timeout: 10_000 });
  await expect(page.getByText(`${m} arrived while away`)).toHaveCount(0);
  await page.getByTestId('new-lines').click();
  await expect(discover.messages.first()).toHaveText(`${m} arrived while away`);
  await expect(page.getByTestId('new-lines')).toHaveCount(0);
});

test('Pause holds the live tail where it is, counting what waits, until Resume', async ({ page }) => {
  const m = marker();
  await seed([`${m} read this one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(page.getByTestId('live-tail').locator('.dot.on')).toBeVisible();
  await page.waitForTimeout(2_500); // the first poll's look back at the 2 s before the tail began
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  await expect(pause).toHaveAttribute('aria-pressed', 'false');
  await pause.click();
  await expect(pause).toHaveAttribute('aria-pressed', 'true');
  await seed([`${m} arrived while paused`]);
  await expect(page.getByTestId('new-lines')).toHaveText('1 new line — resume', { timeout: 10_000 });
  await expect(discover.messages).toHaveText([`${m} read this one`]);
  // The button pressed keeps the keyboard: Enter on it resumes, and what waited comes in on top.
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`${m} arrived while paused`, `${m} read this one`]);
  await expect(page.getByTestId('new-lines')).toHaveCount(0);
  await expect(pause).toBeFocused();
  await expect(pause).toHaveAttribute('aria-pressed', 'false');
  await seed([`${m} arrived after`]);
  await expect(discover.messages.first()).toHaveText(`${m} arrived after`);
  // The banner resumes too; turned off and on again, the tail starts unpaused.
  await pause.click();
  await seed([`${m} arrived while paused again`]);
  await page.getByTestId('new-lines').click();
  await expect(discover.messages.first()).toHaveText(`${m} arrived while paused again`);
  await expect(pause).toHaveAttribute('aria-pressed', 'false');
  await pause.click();
  await page.getByTestId('live-tail').getByRole('checkbox').uncheck();
  await expect(pause).toHaveCount(0);
  await page.getByTestId('live-tail').getByRole('checkbox').check();
  await expect(pause).toHaveAttribute('aria-pressed', 'false');
});

test('clicking a histogram bar narrows the range to that bucket', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 40 }, (_, i) => `${m} tick ${i}`)); // one a second: three or four 15 s buckets
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('40 hits');
  // The second bar: a whole 15-second bucket (the first and last are cut by the data's ends).
  const bar = page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle path').nth(1);
  await bar.click();
  await expect.poll(() => new URL(page.url()).searchParams.get('from') ?? '').toMatch(/^\d{4}-/);
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
  expect(span).toBe(15_000); // the bucket of a 15-minute range: 15 seconds
  await expect(discover.totalHits).toHaveText('15 hits'); // one line a second
  await expect(discover.rows).toHaveCount(15);
});

test('a long filter is cut on its pill, and shown whole on hover', async ({ page }) => {
  const long = `GET /api/orders/<_> HTTP/1.1 ${'segment/'.repeat(40)}end`;
  const discover = new DiscoverPage(page);
  await discover.open({ filters: JSON.stringify([{ field: 'message', op: 'is', value: long }]) });
  const label = discover.pills.first().locator('.pill-label');
  await expect(label).toHaveAttribute('title', new RegExp(`${'segment/'.repeat(40)}end`));
  expect((await label.boundingBox())!.width).toBeLessThan(600);
});

test('when a filter leaves nothing, the empty table says to turn it off, and the Patterns tab says the same', async ({ page }) => {
  const m = marker();
  await seed([`${m} one`], { namespace: `alpha-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.openField('namespace');
  await page.getByRole('button', { name: `Filter out namespace alpha-${m}` }).click();
  await expect(page.getByTestId('empty')).toHaveText('No lines match in this time range. Try a wider time range, fewer terms or turning off the filter.');
  await page.getByRole('tab', { name: 'Patterns' }).click();
  await expect(page.getByTestId('patterns-empty')).toHaveText(
    'No lines match in this time range, so there are no patterns. Try a wider time range, fewer terms or turning off the filter.',
  );
});

test('a Serilog line filters by its @-named fields from the field list', async ({ page }) => {
  const m = marker();
  await seed([`{"@t":"2026-12-07T08:00:00Z","@l":"Error","@mt":"${m} failed for {User}","User":"ann"}`, `{"@l":"Information","@mt":"${m} done"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  // The template reads as the message, with the rest as key=value, and @l is the level.
  await expect(discover.messages).toHaveText([`${m} done`, `${m} failed for {User} User=ann`]);
  await expect(discover.rows.first()).toContainText('info');
  await discover.openField('@l');
  await page.getByRole('button', { name: 'Filter for @l Error' }).click();
  await expect(discover.pills).toHaveText(['@l: Error×']);
  await expect(discover.rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Delete @l: Error' }).click();
  await discover.search(`${m} and not @l:Error`);
  await expect(discover.messages).toHaveText([`${m} done`]);
});

test('a pill value is edited with Save or Enter and Escape cancels; an exists filter can be excluded', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} a","route":"/cart"}`, `{"msg":"${m} b","route":"/pay"}`, `{"msg":"${m} c"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(3);
  await discover.openField('route');
  await page.getByRole('button', { name: 'Filter for route /cart' }).click();
  await expect(discover.messages).toHaveText([`${m} a route=/cart`]);

  const label = (text: string) => discover.pills.getByRole('button', { name: text, exact: true });
  await label('route: /cart').click();
  await page.getByRole('menuitem', { name: 'Edit value' }).click();
  const value = page.getByRole('textbox', { name: 'Value of route' });
  await expect(value).toBeFocused();
  await page.keyboard.type('x');
  await page.keyboard.press('Escape');
  await expect(label('route: /cart')).toBeFocused();
  await expect(discover.messages).toHaveText([`${m} a route=/cart`]);

  await label('route: /cart').click();
  await page.getByRole('menuitem', { name: 'Edit value' }).click();
  await value.press('ControlOrMeta+a');
  await value.press('Backspace');
  const save = discover.pills.getByRole('button', { name: 'Save' });
  await expect(save).toBeDisabled();
  await page.keyboard.press('Enter'); // an empty value is not a filter
  await expect(value).toBeFocused();
  await page.keyboard.type('/pay');
  await save.click();
  await expect(discover.pills).toHaveText(['route: /pay×']);
  await expect(discover.messages).toHaveText([`${m} b route=/pay`]);

  await page.getByRole('button', { name: 'Delete route: /pay' }).click();
  // The field's values stay open in the list through the searches its filters made.
  await page.getByTestId('field-details').getByRole('button', { name: 'Exists' }).click();
  await expect(discover.rows).toHaveCount(2);
  await label('route exists').click();
  await page.getByRole('menuitem', { name: 'Exclude results' }).click();
  await expect(discover.pills).toHaveText(['NOT route exists×']);
  await expect(discover.messages).toHaveText([`${m} c`]);
});

test('find in results finds a JSON line by the text its row shows, and marks what it found', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} paid","order_id":"o-17"}`, `{"msg":"${m} paid","order_id":"o-18"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveText([`${m} paid order_id=o-18`, `${m} paid order_id=o-17`]);
  await page.keyboard.press('ControlOrMeta+f');
  await page.keyboard.type('order_id=o-17');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await expect(page.locator('tr.hit.marked')).toContainText('order_id=o-17');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('o-18');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await expect(page.locator('tr.hit.marked mark')).toHaveText([m, 'o-18']);
});

test('loading earlier lines of the context from the keyboard keeps the focus on the button, ready to load more', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 80 }, (_, i) => `${m} line ${i}`), { pod: `p-${m}`, podUid: `u-${m}`, container: 'app' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} line 60"` });
  await discover.rows.first().click();
  await page.getByTestId('view-context').click();
  const context = page.getByTestId('context');
  await expect(context.getByTestId('hit-row')).toHaveCount(40);
  await page.route(/\/api\/context\?/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  const earlier = context.getByTestId('context-earlier');
  await earlier.focus();
  await page.keyboard.press('Enter');
  await expect(earlier).toHaveText('Loading earlier lines…');
  await expect(context.getByTestId('hit-row')).toHaveCount(60);
  await expect(earlier).toHaveText('Load earlier lines');
  await expect(earlier).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(context.getByTestId('hit-row')).toHaveCount(80);
});

test('Add filter builds a pill from a field, an operator and a value, as Kibana\'s does, all from the keyboard', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} a","route":"/cart"}`, `{"msg":"${m} b","route":"/pay"}`, `{"msg":"${m} c"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(3);
  const add = page.getByRole('button', { name: 'Add filter' });
  await add.click();
  const field = page.getByRole('combobox', { name: 'Field', exact: true }); // a box with suggestions
  await expect(field).toBeFocused();
  // The box offers the result's fields, as Kibana's field picker does.
  await expect(page.locator(`[id="${await field.getAttribute('list')}"] option[value="route"]`)).toHaveCount(1);
  await page.keyboard.type('route');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('combobox', { name: 'Operator' })).toBeFocused();
  await page.keyboard.press('Tab');
  const submit = page.getByRole('dialog', { name: 'Add filter' }).getByRole('button', { name: 'Add' });
  await expect(submit).toBeDisabled(); // no value yet
  await page.keyboard.type('/pay');
  await page.keyboard.press('Enter');
  await expect(discover.pills).toHaveText(['route: /pay×']);
  await expect(discover.messages).toHaveText([`${m} b route=/pay`]);
  await expect(add).toBeFocused();

  // Another operator: exists needs no value; Escape leaves without a filter.
  await page.keyboard.press('Enter');
  await page.keyboard.type('route');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Add filter' })).toHaveCount(0);
  await expect(add).toBeFocused();
  await expect(discover.pills).toHaveCount(1);
  await add.click();
  await field.fill('route');
  await page.getByRole('combobox', { name: 'Operator' }).selectOption('is not one of');
  await page.getByRole('textbox', { name: 'Values, separated by commas' }).fill('/pay, /cart');
  await submit.click();
  await expect(discover.pills).toHaveText(['route: /pay×', 'NOT route is one of /pay, /cart×']);
  await expect(discover.rows).toHaveCount(0);
  await page.getByRole('button', { name: 'Delete route: /pay' }).click();
  await expect(discover.messages).toHaveText([`${m} c`]);

  // A name the query language cannot hold is refused where it was typed.
  await add.click();
  await field.fill('bad name');
  await page.getByRole('combobox', { name: 'Operator' }).selectOption('exists');
  await submit.click();
  await expect(page.getByRole('dialog', { name: 'Add filter' })).toContainText('"bad name" is not a field name');
  await expect(field).toBeFocused();
});

test("a pill's Edit filter opens the whole filter, as Kibana's does: its field, operator and values change in place", async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} a","route":"/cart"}`, `{"msg":"${m} b","route":"/pay"}`, `{"msg":"${m} c","route":"/home"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(3);
  await page.getByRole('button', { name: 'Add filter' }).click();
  await page.getByRole('combobox', { name: 'Field', exact: true }).fill('route');
  await page.getByRole('combobox', { name: 'Operator' }).selectOption('is one of');
  await page.getByRole('textbox', { name: 'Values, separated by commas' }).fill('/pay, /cart');
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`${m} b route=/pay`, `${m} a route=/cart`]);

  await page.getByRole('button', { name: 'route is one of /pay, /cart', exact: true }).click();
  await page.getByRole('menuitem', { name: 'Edit filter' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit filter' });
  // The filter as it is, to change rather than type again.
  await expect(editor.getByRole('combobox', { name: 'Field', exact: true })).toHaveValue('route');
  await expect(editor.getByRole('combobox', { name: 'Operator' })).toHaveValue('is one of');
  const values = editor.getByRole('textbox', { name: 'Values, separated by commas' });
  await expect(values).toHaveValue('/pay, /cart');
  await editor.getByRole('combobox', { name: 'Operator' }).selectOption('is not one of');
  await values.fill('/pay');
  await page.keyboard.press('Enter');
  await expect(editor).toHaveCount(0);
  await expect(discover.pills).toHaveText(['NOT route is one of /pay×']);
  await expect(discover.messages).toHaveText([`${m} c route=/home`, `${m} a route=/cart`]);
  await expect(page.getByRole('button', { name: 'NOT route is one of /pay', exact: true })).toBeFocused();

  // Escape leaves it as it was, the focus back on its pill.
  await page.keyboard.press('Enter');
  await page.getByRole('menuitem', { name: 'Edit filter' }).click();
  await page.getByRole('dialog', { name: 'Edit filter' }).getByRole('combobox', { name: 'Field', exact: true }).fill('other');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Edit filter' })).toHaveCount(0);
  await expect(discover.pills).toHaveText(['NOT route is one of /pay×']);
  await expect(page.getByRole('button', { name: 'NOT route is one of /pay', exact: true })).toBeFocused();
});
