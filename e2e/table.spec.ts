// The table's header and rows as a Kibana user drives them: sort by time, arrange columns, and a
// link that opens exactly one line.
import fs from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed, seedAt } from './seed';

/** A structured line with its route and user added as columns, from its opened row. */
async function openWithRouteAndUserColumns(page: Page): Promise<DiscoverPage> {
  const m = marker();
  await seed([`{"msg":"${m} order","route":"/cart","user":"ann"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  await page.getByRole('button', { name: 'Add route as a column' }).click();
  await page.getByRole('button', { name: 'Add user as a column' }).click();
  return discover;
}

test('the time header sorts oldest or newest first', async ({ page }) => {
  const m = marker();
  await seed([`${m} first`, `${m} second`, `${m} third`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveText([`${m} third`, `${m} second`, `${m} first`]);
  await page.getByRole('button', { name: 'Time ↓' }).click();
  await expect(discover.messages).toHaveText([`${m} first`, `${m} second`, `${m} third`]);
  expect(new URL(page.url()).searchParams.get('order')).toBe('asc');
  await page.getByRole('button', { name: 'Time ↑' }).click();
  await expect(discover.messages).toHaveText([`${m} third`, `${m} second`, `${m} first`]);
});

test('selecting a message or a word of it to copy leaves its row closed; a click opens it', async ({ page }) => {
  const m = marker();
  await seed([`${m} payment failed for order 17`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const box = (await discover.messages.first().boundingBox())!;
  await page.mouse.move(box.x + 4, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 200, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.getSelection()?.toString())).toContain(m);
  await expect(page.getByTestId('hit-details')).toHaveCount(0);
  await discover.messages.first().dblclick(); // selects the word under the pointer
  expect(await page.evaluate(() => window.getSelection()?.toString().trim())).toMatch(/^(payment|failed|for|order|17)$/);
  await expect(page.getByTestId('hit-details')).toHaveCount(0);
  await discover.messages.first().click();
  await expect(page.getByTestId('hit-details')).toHaveCount(1);
});

test('a structured line whose message is longer than a stored field shows all of it, and its details say the field was cut', async ({ page }) => {
  const m = marker();
  const long = `${'a'.repeat(1_200)} tail-${m}`;
  await seed([JSON.stringify({ level: 'error', msg: long, user: 'ann' })]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `tail-${m}` });
  // The row reads to the end, where the match is marked.
  await expect(discover.messages.first().locator('mark')).toHaveText(`tail-${m}`);
  await discover.rows.first().click();
  const msg = page.getByTestId('detail-field').filter({ has: page.locator('th', { hasText: /^msg$/ }) });
  await expect(msg.getByTestId('value-cut')).toContainText('cut at 1,024 characters when stored');
  await expect(page.getByTestId('detail-field').filter({ has: page.locator('th', { hasText: /^user$/ }) }).getByTestId('value-cut')).toHaveCount(0);
  await expect(page.getByTestId('raw-line')).toContainText(`tail-${m}`);
});

test('with many columns added the message keeps a readable width, and the page scrolls sideways instead', async ({ page }) => {
  const m = marker();
  const fields = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
  await seed([JSON.stringify({ msg: `${m} a message a person wants to read`, ...Object.fromEntries(fields.map((f) => [f, `${f}-value`])) })]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, cols: fields.join(',') });
  await expect(page.locator('th.col-field')).toHaveCount(5);
  const message = await page.locator('[data-testid=hit-row] td.message').first().boundingBox();
  expect(message!.width).toBeGreaterThanOrEqual(300);
});

test('columns are added from a row, moved, resized and removed from the header', async ({ page }) => {
  const discover = await openWithRouteAndUserColumns(page);
  const headers = page.getByTestId('column-header').locator('.col-name');
  await expect(headers).toHaveText(['route', 'user']);
  await expect(discover.rows.first().locator('td.col-field')).toHaveText(['/cart', 'ann']);

  const header = page.locator('thead');
  await header.getByRole('button', { name: 'Move user left' }).click();
  await expect(headers).toHaveText(['user', 'route']);
  await expect(discover.rows.first().locator('td.col-field')).toHaveText(['ann', '/cart']);

  const route = page.locator('[data-testid=column-header][data-column=route]');
  const before = (await route.boundingBox())!.width;
  const edge = page.getByRole('separator', { name: 'Resize the route column' });
  // A screen reader hears the width before any resize, as after one.
  await expect(edge).toHaveAttribute('aria-valuenow', String(Math.round(before)));
  await expect(edge).toHaveAttribute('aria-valuemin', '60');
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 100, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await route.boundingBox())!.width).toBeGreaterThan(before + 80);
  await expect.poll(() => new URL(page.url()).searchParams.get('widths') ?? '').toMatch(/^route:\d+$/);
  await edge.focus();
  const dragged = Number(new URL(page.url()).searchParams.get('widths')!.split(':')[1]);
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => new URL(page.url()).searchParams.get('widths')).toBe(`route:${dragged - 16}`);
  await expect(edge).toHaveAttribute('aria-valuenow', String(dragged - 16));

  await header.getByRole('button', { name: 'Remove user column' }).click();
  await expect(headers).toHaveText(['route']);
  await page.reload();
  await expect(headers).toHaveText(['route']); // the arrangement is in the URL
});

test('a link to one line opens that line with its context', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 10 }, (_, i) => `${m} line ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: `"${m} line 4"` });
  await discover.rows.first().click();
  const href = await page.getByTestId('line-link').getAttribute('href');
  const other = new DiscoverPage(await page.context().newPage());
  await other.page.goto(new URL(href!, page.url()).href);
  const context = other.page.getByTestId('context');
  await expect(context.locator('tr.marked')).toContainText(`${m} line 4`);
  await expect(context).toContainText(`${m} line 3`);
  await other.page.keyboard.press('Escape');
  await expect(context).toHaveCount(0);
  expect(new URL(other.page.url()).searchParams.get('line')).toBeNull();
});

test('an opened row stays open when it is scrolled out of sight and back', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 190 }, (_, i) => `INFO ${m} line ${String(i).padStart(3, '0')}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('190 hits');
  const first = discover.rows.first();
  await discover.messages.first().click();
  await expect(first).toHaveAttribute('aria-expanded', 'true');
  // Its id now: `first` is whichever row is rendered first, and after the scroll that is another.
  const opened = await first.getAttribute('data-hit-id');
  // The keyboard leaves it (a row with the keyboard stays rendered wherever the page is).
  await discover.totalHits.click();
  await expect(first).not.toBeFocused();
  // Down the page, far enough that the table no longer renders the first rows.
  await page.mouse.move(640, 500);
  for (let i = 0; i < 8; i++) await page.mouse.wheel(0, 800);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(3_000);
  await expect(page.locator(`[data-testid=hit-row][data-hit-id="${opened}"]`)).toHaveCount(0);
  await page.keyboard.press('Home');
  await expect(discover.rows.first()).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('button', { name: 'Copy message' })).toBeVisible();
});

test('auto-refresh waits while the reader is down the table, and catches up at the top', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 150 }, (_, i) => `INFO ${m} line ${String(i).padStart(3, '0')}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, refresh: '5s' });
  await expect(discover.totalHits).toHaveText('150 hits');
  await page.mouse.wheel(0, 3_000);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1_000);
  await seed([`INFO ${m} newer`]);
  const paused = page.getByTestId('refresh-paused');
  await expect(paused).toBeVisible({ timeout: 8_000 });
  // Still where the reader was, with what they were reading.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1_000);
  await expect(discover.totalHits).toHaveText('150 hits');
  await paused.click();
  await expect(discover.totalHits).toHaveText('151 hits');
  await expect(discover.messages.first()).toHaveText(`INFO ${m} newer`);
  await expect(paused).toHaveCount(0);
});

test('resizing a column adds no step to Back: Back returns to the search before', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} order","route":"/cart"}`, `{"msg":"${m} other","route":"/home"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.search(`${m} and order`);
  await expect(discover.rows).toHaveCount(1);
  await discover.rows.first().click();
  await page.getByRole('button', { name: 'Add route as a column' }).click();
  const edge = page.getByRole('separator', { name: 'Resize the route column' });
  await edge.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => new URL(page.url()).searchParams.get('widths') ?? '').toMatch(/^route:\d+$/);
  await page.goBack(); // the column added
  await expect(page.getByTestId('column-header')).toHaveCount(0);
  await page.goBack();
  await expect(discover.query).toHaveValue(m);
  await expect(discover.rows).toHaveCount(2);
});

test('CSV export has the table\'s columns and order', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} first","route":"/cart"}`, `{"msg":"${m} second","route":"/home"}`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  await page.getByRole('button', { name: 'Add route as a column' }).click();
  await page.getByRole('button', { name: 'Time ↓' }).click(); // oldest first
  await expect(discover.messages.first()).toContainText(`${m} first`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const lines = (await fs.readFile(await download.path(), 'utf8')).trim().split('\r\n');
  // After the CSV's own columns, the table's: its messages hold commas, so read the last cell.
  expect(lines[0].split(',').at(-1)).toBe('route');
  expect(lines.slice(1).map((l) => l.slice(l.lastIndexOf(',') + 1))).toEqual(['/cart', '/home']);
});

test('an export says each line\'s time in the page\'s time zone, to the microsecond, as the table does', async ({ page }) => {
  const m = marker();
  const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 90_000);
  await seedAt([{ ts: at.toISOString().replace('.000Z', '.123456Z'), message: `${m} zoned export` }]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo'); // UTC+9 all year
  const inTokyo = `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}.123456+09:00`;
  await expect(discover.rows.first().locator('td.col-time')).toContainText(inTokyo.slice(11, 19));
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const row = (await fs.readFile(await csv.path(), 'utf8')).trim().split('\r\n')[1];
  expect(row.split(',')[0]).toBe(inTokyo);
  // Its name says the range in that zone too.
  expect(csv.suggestedFilename()).toMatch(/^logpond-\d{8}T\d{4}\+0900-\d{8}T\d{4}\+0900\.csv$/);
  const [ndjson] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ndjson').click()]);
  expect(JSON.parse((await fs.readFile(await ndjson.path(), 'utf8')).trim()).ts).toBe(inTokyo);
});

test('wrapping long lines is kept through the Patterns tab, a reload and a link', async ({ page }) => {
  const m = marker();
  await seed([`${m} ${'a long line of words that goes on '.repeat(20)}end`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const message = discover.messages.first();
  const oneLine = (await message.boundingBox())!.height;
  const wrap = page.getByRole('checkbox', { name: 'Wrap long lines' });
  await wrap.check();
  await expect.poll(async () => (await message.boundingBox())!.height).toBeGreaterThan(oneLine * 2);
  expect(new URL(page.url()).searchParams.get('wrap')).toBe('1');

  await page.getByRole('tab', { name: 'Patterns' }).click();
  await expect(page.getByTestId('patterns')).toBeVisible();
  await page.getByRole('tab', { name: 'Documents' }).click();
  await expect(wrap).toBeChecked();
  await page.reload();
  await expect(wrap).toBeChecked();
  await expect.poll(async () => (await message.boundingBox())!.height).toBeGreaterThan(oneLine * 2);
  await wrap.uncheck();
  await expect.poll(async () => (await message.boundingBox())!.height).toBeLessThan(oneLine * 1.5);
});

test('a trip to the Patterns tab and back keeps the opened row and the text being found', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 12 }, (_, i) => `${m} request ${String(i).padStart(2, '0')} served`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.messages.filter({ hasText: 'request 04 served' }).click();
  await expect(page.getByTestId('hit-details')).toHaveCount(1);
  await page.keyboard.press('ControlOrMeta+f');
  await page.keyboard.type('request 07');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await page.getByRole('tab', { name: 'Patterns' }).click();
  await expect(page.getByTestId('pattern-row').first()).toBeVisible();
  await page.getByRole('tab', { name: 'Documents' }).click();
  await expect(discover.rows).toHaveCount(12);
  await expect(page.getByTestId('hit-details')).toHaveCount(1);
  await expect(page.locator('tr.hit[aria-expanded=true]')).toContainText('request 04 served');
  await expect(page.getByRole('textbox', { name: 'Find in results' })).toHaveValue('request 07');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await expect(page.locator('tr.hit.marked')).toContainText('request 07 served');
});

test('a filter from an opened line keeps that line in sight with the focus on it, or, when it filters the line out, puts the focus on the new filter', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 60 }, (_, i) => `{"msg":"${m} call ${String(i).padStart(2, '0')}","code":"${i % 2 === 0 ? 'even' : 'odd'}"}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('60 hits');
  const row = page.locator('tr.hit', { hasText: `${m} call 21 ` });
  await expect(async () => {
    await page.mouse.wheel(0, 300);
    await expect(row).toBeInViewport({ timeout: 200 });
  }).toPass();
  await row.click();
  const plus = page.getByTestId('hit-details').getByRole('button', { name: 'Filter for code' });
  await plus.focus();
  await page.keyboard.press('Enter');
  await expect(discover.pills).toHaveText(['code: odd×']);
  await expect(discover.totalHits).toHaveText('30 hits');
  await expect(row).toHaveAttribute('aria-expanded', 'true');
  await expect(row).toBeInViewport();
  await expect(plus).toBeFocused();

  await page.getByTestId('hit-details').getByRole('button', { name: 'Filter out code' }).press('Enter');
  await expect(discover.pills).toHaveText(['NOT code: odd×']); // turned around, not a second pill
  await expect(discover.totalHits).toHaveText('30 hits');
  await expect(row).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'NOT code: odd', exact: true })).toBeFocused();
});

test("an opened line's field names scroll with their values, under the table's header", async ({ page }) => {
  const m = marker();
  const fields = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`field${String(i).padStart(2, '0')}`, `value ${i}`]));
  await seed([JSON.stringify({ msg: `${m} many fields`, ...fields })]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  const row = page.locator('[data-testid=detail-field][data-field=field00]');
  await expect(row).toBeVisible();
  // Read down the details until that field has gone up past the top of the window.
  await page.mouse.move(600, 500);
  const top = (await row.boundingBox())!.y;
  await page.mouse.wheel(0, top + 300);
  await expect.poll(async () => (await row.boundingBox())!.y).toBeLessThan(-200);
  const [name, value] = [(await row.locator('th').boundingBox())!, (await row.locator('td').last().boundingBox())!];
  expect(name.y).toBe(value.y);
});

test('a source column widened to read a long pod name leaves the message its readable width', async ({ page }) => {
  const m = marker();
  await seed([`${m} a line to read`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  const edge = page.getByRole('separator', { name: 'Resize the source column' });
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 700, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(edge).toHaveAttribute('aria-valuenow', '800');
  // The page scrolls sideways instead, as it does with many columns added.
  const message = page.getByRole('columnheader', { name: 'Message' });
  expect((await message.boundingBox())!.width).toBeGreaterThanOrEqual(360);
});

test('walking up the rows with ↑ keeps the focused row in sight below the sticky header', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 60 }, (_, i) => `${m} line ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('60 hits');
  const row = (i: number) => discover.rows.filter({ hasText: new RegExp(`${m} line ${i}$`) });
  await page.mouse.move(700, 500);
  await page.mouse.wheel(0, 600);
  await row(29).click(); // opens it
  await page.keyboard.press('Enter'); // and closes it again, with the focus on it
  await expect(row(29)).toBeFocused();
  // Read on with the wheel until the row above sits just under the top of the window, where the
  // header the table keeps in sight covers it.
  await page.mouse.wheel(0, (await row(30).boundingBox())!.y - 4);
  await expect.poll(async () => (await row(30).boundingBox())!.y).toBeLessThan(10);
  await page.keyboard.press('ArrowUp');
  await expect(row(30)).toBeFocused();
  const header = (await page.getByRole('columnheader', { name: 'Message' }).boundingBox())!;
  await expect.poll(async () => (await row(30).boundingBox())!.y).toBeGreaterThanOrEqual(header.y + header.height - 1);
});

test('"show all" from the keyboard leaves the focus on its row', async ({ page }) => {
  const m = marker();
  await seed([`${m} ${'long '.repeat(600)}end`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await discover.query.focus();
  await page.keyboard.press('ArrowDown'); // from the query to the row
  await expect(discover.rows.first()).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(discover.rows.first().getByRole('button', { name: /show all/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(discover.messages.first()).toContainText('long end');
  // Not dropped to the page: ↓ and ↑ go on from this line.
  await expect(discover.rows.first()).toBeFocused();
});

test('moving and removing columns from the header keeps the keyboard focus in the header', async ({ page }) => {
  const discover = await openWithRouteAndUserColumns(page);
  const header = page.locator('thead');
  const headers = page.getByTestId('column-header').locator('.col-name');
  await expect(headers).toHaveText(['route', 'user']);

  await header.getByRole('button', { name: 'Move route right' }).focus();
  await page.keyboard.press('Enter');
  await expect(headers).toHaveText(['user', 'route']);
  // Now last, it cannot go further right: the way back has the focus.
  await expect(header.getByRole('button', { name: 'Move route left' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(headers).toHaveText(['route', 'user']);
  await expect(header.getByRole('button', { name: 'Move route right' })).toBeFocused();

  await header.getByRole('button', { name: 'Remove user column' }).focus();
  await page.keyboard.press('Enter');
  await expect(headers).toHaveText(['route']);
  await expect(header.getByRole('button', { name: 'Remove route column' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(headers).toHaveCount(0);
  await expect(header.getByRole('button', { name: /^Time/ })).toBeFocused();
});

test('Find in results shows a match that lies past the preview of a long line', async ({ page }) => {
  const m = marker();
  await seed([`${m} ${'filler '.repeat(400)}needle-${m} and the end`, `${m} short line`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  await page.keyboard.press('Control+f');
  await page.keyboard.type(`needle-${m}`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  const marked = page.locator('tr.hit.marked');
  await expect(marked.locator('mark', { hasText: `needle-${m}` })).toBeVisible();
});

test('adding or removing a column while reading deep in a wrapped table keeps the line being read in place', async ({ page }) => {
  const m = marker();
  const words = 'the quick brown fox jumps over the lazy dog '.repeat(8);
  await seed(Array.from({ length: 90 }, (_, i) => `{"msg":"${m} line ${String(i).padStart(2, '0')} ${words}","route":"/r${i}"}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, wrap: '1' });
  await expect(discover.totalHits).toHaveText('90 hits');
  await page.mouse.move(640, 500);
  const line = discover.messages.filter({ hasText: `${m} line 20 ` });
  const top = () => line.evaluateAll((found) => found[0]?.getBoundingClientRect().top ?? Infinity);
  for (let turns = 0; (await top()) > 400 && turns < 100; turns++) {
    await page.mouse.wheel(0, 200);
    await page.waitForTimeout(50);
  }
  await line.click(); // opened to read it
  // Where the opened row stands in the window; far off when it is not rendered at all.
  const y = () => discover.rows.filter({ hasText: `${m} line 20 ` }).evaluateAll((found) => found[0]?.getBoundingClientRect().top ?? -1e6);
  // How far it moved, once the rows have been measured anew (two reads alike, a frame apart).
  const moved = async (from: number) => {
    const first = await y();
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const second = await y();
    return first === second ? Math.abs(second - from) : Infinity;
  };
  const add = page.getByRole('button', { name: 'Add route as a column' });
  await add.scrollIntoViewIfNeeded(); // as the reader scrolls to it in the opened row
  const before = await y();
  await add.click();
  await expect(page.getByTestId('column-header')).toHaveCount(1);
  await expect.poll(() => moved(before)).toBeLessThan(30);
  // The button pressed has turned into its undo and keeps the keyboard.
  await expect(page.getByTestId('hit-details').getByRole('button', { name: 'Remove route column' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('column-header')).toHaveCount(0);
  await expect.poll(() => moved(before)).toBeLessThan(30);
});

test('the keyboard stays in the rows after the wheel scrolls the focused row far away', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 150 }, (_, i) => `${m} line ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('150 hits');
  await discover.rows.first().click();
  await page.keyboard.press('Enter'); // closed again; the row keeps the keyboard
  await expect(discover.rows.first()).toBeFocused();
  await page.mouse.move(640, 500);
  for (let turns = 0; turns < 12; turns++) await page.mouse.wheel(0, 400);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(3000);
  const scrolled = await page.evaluate(() => window.scrollY);
  await page.keyboard.press('ArrowDown');
  const focused = page.locator('[data-testid=hit-row]:focus');
  await expect(focused).toHaveCount(1);
  await expect(focused).toBeInViewport();
  // The row taken is one the reader is looking at: the page stays where it was scrolled to.
  expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolled - 100);
});

test('Find in results scrolls a long unwrapped line to the text found, past the query\'s own marks', async ({ page }) => {
  const m = marker();
  await seed([`${m} ${'filler '.repeat(60)}needle-${m} and the end`, `${m} short line`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  const found = page.locator('tr.hit').filter({ hasText: 'filler' }).locator('mark', { hasText: `needle-${m}` });
  await page.keyboard.press('Control+f');
  await page.keyboard.type(`needle-${m}`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('find-count')).toHaveText('1 of 1');
  await expect(found).toBeInViewport();
});

test('the rows are one stop for Tab, which comes back to the row last read', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 8 }, (_, i) => `${m} line ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(8);
  await discover.query.focus();
  await page.keyboard.press('ArrowDown'); // from the query to the rows
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(discover.rows.nth(2)).toBeFocused();
  const onRow = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'hit-row');
  // Backwards out of the table in one step, not through the rows above.
  await page.keyboard.press('Shift+Tab');
  expect(await onRow()).toBe(false);
  // And forwards again to the row it left.
  await page.keyboard.press('Tab');
  await expect(discover.rows.nth(2)).toBeFocused();
});
