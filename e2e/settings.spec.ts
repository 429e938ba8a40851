// What a user sets for themselves and what they hand to others: time zone, theme, shortcuts, and
// a share link that shows the same lines whenever it is opened.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed, serverUrl } from './seed';

test('the time zone setting changes the table, the picker and the histogram, and stays', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} zoned`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const time = discover.rows.first().locator('td.col-time');
  await page.getByTestId('time-zone').selectOption('UTC');
  const utc = await time.innerText();
  await expect(page.getByTestId('resolved-range')).toContainText('(UTC)');
  const ticks = page.getByTestId('histogram-chart').locator('.recharts-xAxis-tick-labels text');
  const utcTick = await ticks.first().textContent();
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo'); // UTC+9 all year
  await expect(page.getByTestId('resolved-range')).toContainText('(Asia/Tokyo)');
  const tokyo = await time.innerText();
  const minutes = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
  expect((minutes(tokyo.slice(11)) - minutes(utc.slice(11)) + 24 * 60) % (24 * 60)).toBe(540);
  await expect.poll(async () => (minutes((await ticks.first().textContent())!) - minutes(utcTick!) + 24 * 60) % (24 * 60)).toBe(540);
  await page.reload();
  await expect(page.getByTestId('time-zone')).toHaveValue('Asia/Tokyo');
  await expect(time).toHaveText(tokyo);
  // An opened row says its time in the same zone, to the microsecond, with the stored UTC on hover.
  await discover.messages.first().click();
  const detailTime = page.getByTestId('detail-time');
  await expect(detailTime).toContainText(tokyo);
  await expect(detailTime).toContainText('(Asia/Tokyo)');
  await expect(detailTime).toHaveAttribute('title', /Z$/);
  // A saved search says when it was saved in that zone too, and so does the header's newest line.
  // (The newest line stored may be another spec's: its stored UTC time is on hover.)
  const newest = page.getByTestId('status-newest');
  await expect
    .poll(async () => {
      const stored = new Date(/^(\S+Z)/.exec((await newest.getAttribute('title')) ?? '')![1]);
      const inTokyo = new Date(stored.getTime() + 9 * 3_600_000).toISOString().slice(11, 19);
      return (await newest.innerText()).endsWith(`newest ${inTokyo}`);
    })
    .toBe(true);
  await page.getByRole('button', { name: 'Saved', exact: true }).click();
  await page.getByLabel('Name of this search').fill(`zoned ${m}`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('saved-current')).toHaveText(`zoned ${m}`); // saved, and the panel closed
  await page.getByRole('button', { name: 'Saved', exact: true }).click();
  await expect(page.getByRole('button', { name: `zoned ${m}`, exact: true })).toHaveAttribute('title', /^Updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(Asia\/Tokyo\)$/);
});

test('a typed wall-clock time is read in the chosen zone', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
  await page.getByTestId('range-from').fill('2026-01-01T09:00:00');
  await page.getByTestId('range-to').fill('2026-01-01T10:00:00');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2026-01-01T00:00:00.000Z');
  expect(new URL(page.url()).searchParams.get('to')).toBe('2026-01-01T01:00:00.000Z');
  // The boxes keep showing Tokyo's wall clock, not the URL's UTC, also after a step to the next hour.
  await expect(page.getByTestId('range-from')).toHaveValue('2026-01-01 09:00:00');
  await expect(page.getByTestId('range-to')).toHaveValue('2026-01-01 10:00:00');
  await expect(page.getByTestId('range-from')).not.toHaveClass(/pending/);
  await page.getByRole('button', { name: 'Next range' }).click();
  await expect(page.getByTestId('range-from')).toHaveValue('2026-01-01 10:00:00');
  await page.getByTestId('time-zone').selectOption('UTC');
  await expect(page.getByTestId('range-from')).toHaveValue('2026-01-01 01:00:00');
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('2026-01-01T01:00:00.000Z');
});

test('date math as Kibana and Grafana write it: M is months, y years, and /d rounds to the day in the chosen zone', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-03-15T05:30:00Z'));
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.getByTestId('time-zone').selectOption('Asia/Tokyo'); // 14:30 there
  const resolved = page.getByTestId('resolved-range');
  const apply = async (from: string, to: string) => {
    await discover.timePicker.from.fill(from);
    await discover.timePicker.to.fill(to);
    await discover.timePicker.to.press('Enter');
  };
  await apply('now-1M', 'now');
  await expect(resolved).toHaveText('2026-02-15 14:30:00 → 2026-03-15 14:30:00 (Asia/Tokyo)');
  await apply('now-1y', 'now-1M');
  await expect(resolved).toHaveText('2025-03-15 14:30:00 → 2026-02-15 14:30:00 (Asia/Tokyo)');
  // Today in Tokyo: from its midnight to the next (the end of a range is not in it).
  await apply('now/d', 'now/d');
  await expect(resolved).toHaveText('2026-03-15 00:00:00 → 2026-03-16 00:00:00 (Asia/Tokyo)');
  await apply('now-1d/d', 'now-1d/d');
  await expect(resolved).toHaveText('2026-03-14 00:00:00 → 2026-03-15 00:00:00 (Asia/Tokyo)');
  await expect(page.getByTestId('range-error')).toHaveCount(0);
});

test('a range typed but not applied is searched with the query on Enter, as Kibana\'s Update does', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} here`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.getByTestId('range-from').fill('now-4h');
  await expect(page.getByTestId('range-from')).toHaveClass(/pending/);
  await discover.query.click();
  await page.keyboard.type(m);
  await page.keyboard.press('Enter');
  await expect(discover.rows).toHaveCount(1);
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('now-4h');
  await expect(page.getByTestId('quick-range')).toHaveValue('now-4h');
  await expect(page.getByTestId('range-from')).not.toHaveClass(/pending/);
});

test('the theme switch overrides the system default and stays', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  const discover = new DiscoverPage(page);
  await discover.open();
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe('rgb(255, 255, 255)');
  await page.getByTestId('theme').selectOption('dark');
  await expect.poll(background).toBe('rgb(17, 21, 28)');
  await page.reload();
  await expect.poll(background).toBe('rgb(17, 21, 28)');
  // Dark from the first paint, before any script: the page as the server sends it says so, and
  // so does the login page.
  const served = await (await page.context().request.get(`${serverUrl()}/`)).text();
  expect(served).toMatch(/<html[^>]* data-theme="dark"/);
  const login = await (await page.context().request.get(`${serverUrl()}/login`)).text();
  expect(login).toMatch(/<html[^>]* data-theme="dark"/);
  await page.getByTestId('theme').selectOption('system');
  await expect.poll(background).toBe('rgb(255, 255, 255)');
  expect(await (await page.context().request.get(`${serverUrl()}/`)).text()).not.toContain('data-theme=');
});

test('the histogram takes the dark theme: its labels, grid and hover band are the theme\'s, not greys for a white page', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  await page.emulateMedia({ colorScheme: 'dark' });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('1 hit');
  const style = (selector: string, property: 'fill' | 'stroke') =>
    page.evaluate(([s, p]) => getComputedStyle(document.querySelector(s)!)[p as 'fill'], [selector, property] as const);
  expect(await style('.histogram .recharts-cartesian-axis-tick-value', 'fill')).toBe('rgb(152, 162, 179)'); // --muted
  expect(await style('.histogram .recharts-cartesian-grid-horizontal line', 'stroke')).toBe('rgb(44, 52, 64)'); // --border
  const bar = page.locator('.histogram .recharts-bar-rectangle').first();
  await bar.hover();
  await expect(page.locator('.histogram .recharts-tooltip-cursor')).toBeAttached();
  expect(await style('.histogram .recharts-tooltip-cursor', 'fill')).toBe('rgb(26, 32, 41)'); // --panel
});

test('? lists the keyboard shortcuts, Esc closes them', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await page.locator('body').press('?');
  const help = page.getByTestId('shortcuts');
  await expect(help).toContainText('Focus the search box');
  await expect(help).toContainText('Find in the loaded results');
  // Every key the page answers is listed: find's steps, the tabs, a column's edge.
  await expect(help).toContainText('Ctrl+F or ⌘F');
  await expect(help).toContainText('Next or previous match');
  await expect(help).toContainText('Documents or Patterns');
  await expect(help).toContainText('Make the column narrower or wider');
  // A modal: keys act in it, not on the page behind.
  await page.keyboard.press('/');
  await expect(discover.query).not.toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('[data-testid=shortcuts]') !== null)).toBe(true);
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // Opened from its button, closed: the focus is back on the button.
  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await help.getByRole('button', { name: 'Close' }).press('Enter');
  await expect(help).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeFocused();
  await discover.query.click();
  await page.keyboard.type('a?b');
  await expect(discover.query).toHaveValue('a?b'); // typing a ? in the query is just a ?
  await expect(help).toHaveCount(0);
});

test('a shared link fixes the range, so it shows the same lines later', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} shared`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = new URL(await page.getByTestId('share-url').inputValue());
  expect(link.searchParams.get('q')).toBe(m);
  expect(link.searchParams.get('from')).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  expect(Date.parse(link.searchParams.get('to')!) - Date.parse(link.searchParams.get('from')!)).toBe(15 * 60_000);
  const other = new DiscoverPage(await page.context().newPage());
  await other.page.goto(link.href);
  await expect(other.rows).toHaveCount(1);
  await expect(other.page.getByTestId('quick-range')).toHaveValue('custom');
});

test('a browser that blocks site data still gets the page; settings then last for the visit', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', {
      get() {
        throw new DOMException('The user denied access to site data', 'SecurityError');
      },
    });
  });
  const discover = new DiscoverPage(page);
  await discover.open();
  await expect(discover.query).toBeVisible();
  await page.getByTestId('theme').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await discover.search('anything');
  await discover.search('something else');
  await page.getByRole('button', { name: 'History', exact: true }).click();
  await expect(page.getByTestId('history').getByRole('button')).toHaveText(['something else', 'anything']);
});

test('an address the app does not have says so and leads back to the logs', async ({ page }) => {
  const response = await page.goto(`${serverUrl()}/no-such-page`);
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toContainText('There is no page at this address.');
  await page.getByRole('link', { name: 'Search the logs' }).click();
  await expect(new DiscoverPage(page).query).toBeVisible();
});
