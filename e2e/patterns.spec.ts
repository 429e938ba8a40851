// The Patterns tab: the shapes of the matching lines, and a click to keep or drop each shape.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('patterns of the matching lines; a click keeps only one, or drops it, as a pill that survives back and reload', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 12 }, (_, i) => `${m} order ${1000 + i * 17} placed for user ${i}`));
  await seed(Array.from({ length: 5 }, (_, i) => `ERROR ${m} payment ${77 + i} declined by acquirer`));
  await seed(Array.from({ length: 3 }, (_, i) => `{"level":"warn","msg":"${m} cache miss","key":"k${i}"}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await expect(discover.totalHits).toHaveText('20 hits');

  // The tab list takes the keyboard too: → from Documents opens Patterns.
  await page.getByRole('tab', { name: 'Documents' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Patterns' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Patterns' })).toHaveAttribute('aria-selected', 'true');
  // Home and End go to the first tab and the last.
  await page.keyboard.press('Home');
  await expect(page.getByRole('tab', { name: 'Documents' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Documents' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page.getByRole('tab', { name: 'Patterns' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Patterns' })).toHaveAttribute('aria-selected', 'true');
  const patterns = page.getByTestId('pattern-row');
  await expect(patterns.getByTestId('pattern-template')).toHaveText([
    `${m} order <_> placed for user <_>`,
    `ERROR ${m} payment <_> declined by acquirer`,
    `${m} cache miss`,
  ]);
  await expect(patterns.getByTestId('pattern-count')).toHaveText(['12', '5', '3']);
  await expect(page.getByTestId('patterns-summary')).toHaveText('3 patterns in 20 lines');
  expect(new URL(page.url()).searchParams.get('tab')).toBe('patterns');

  // In: only the payment lines, as many as the pattern counted.
  const payment = patterns.filter({ hasText: 'payment' });
  // Each row's buttons say which pattern they act on, so a screen reader can tell 30 of them apart.
  await expect(page.getByRole('button', { name: /^Show examples of/ })).toHaveCount(3);
  await page.getByRole('button', { name: `Show only lines like “ERROR ${m} payment <_> declined by acquirer”` }).click();
  await expect(discover.pills).toHaveText([`pattern: ERROR ${m} payment <_> declined by acquirer×`]);
  await expect(patterns).toHaveCount(1);
  await expect(discover.totalHits).toHaveText('5 hits');
  await page.getByRole('tab', { name: 'Documents' }).click();
  await expect(discover.rows).toHaveCount(5);
  await expect(discover.messages.first()).toContainText(`ERROR ${m} payment 81 declined by acquirer`);

  // Out: everything but them.
  await discover.pills.first().getByRole('button', { name: `pattern: ERROR ${m} payment <_> declined by acquirer`, exact: true }).click();
  await page.getByRole('menuitem', { name: 'Exclude results' }).click();
  await expect(discover.pills).toHaveText([`NOT pattern: ERROR ${m} payment <_> declined by acquirer×`]);
  await expect(discover.rows).toHaveCount(15);
  await expect(discover.messages.filter({ hasText: 'payment' })).toHaveCount(0);

  // Back to "only them", and a reload keeps it.
  await page.goBack();
  await expect(discover.pills).toHaveText([`pattern: ERROR ${m} payment <_> declined by acquirer×`]);
  await expect(discover.rows).toHaveCount(5);
  await page.reload();
  await expect(discover.rows).toHaveCount(5);
  await expect(discover.totalHits).toHaveText('5 hits');
});

test('a pattern shows its examples, level mix and change, and a hostile line stays text', async ({ page }) => {
  const m = marker();
  const line = (level: string, i: number) => JSON.stringify({ level, msg: `${m} <img src=x onerror="window.pwned=true"> job ${i} done` });
  await seed([...Array.from({ length: 6 }, (_, i) => line('info', i)), line('error', 9)]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  const row = page.getByTestId('pattern-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('pattern-template')).toHaveText(`${m} <img src=x onerror="window.pwned=true"> job <_> done`);
  await expect(row.getByRole('img')).toHaveAttribute('aria-label', 'error 1, info 6');
  await row.getByRole('button', { name: `Show examples of “${m} <img src=x onerror="window.pwned=true"> job <_> done”` }).click();
  await expect(page.getByTestId('pattern-examples').locator('li')).toHaveText([
    `${m} <img src=x onerror="window.pwned=true"> job 9 done`,
    `${m} <img src=x onerror="window.pwned=true"> job 5 done`,
  ]);
  expect(await page.evaluate(() => (window as unknown as { pwned?: boolean }).pwned)).toBeUndefined();
  // All of its lines came in the last fifth of the hour: far more often now than before.
  await page.getByRole('radio', { name: 'change' }).check();
  await expect(page.getByRole('columnheader', { name: 'Change' })).toBeVisible();
  await expect(row.getByTestId('pattern-change')).toHaveText(/^\d+×$/);
});

test('on the Patterns tab a query the server cannot read shows where, and the last patterns stay', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 4 }, (_, i) => `${m} worker ${i} started`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  await expect(page.getByTestId('pattern-template')).toHaveText([`${m} worker <_> started`]);
  await discover.search(`${m} and pattern:worker`);
  await expect(discover.queryError).toContainText(`a pattern is a quoted template, e.g. pattern:"GET /api/<_> 200" at ${m.length + 13}`);
  await expect(page.getByTestId('stale-results')).toBeVisible();
  await expect(page.getByTestId('pattern-template')).toHaveText([`${m} worker <_> started`]);
  await discover.search(`${m} and pattern:"${m} worker <_> started"`);
  await expect(page.getByTestId('stale-results')).toHaveCount(0);
  await expect(page.getByTestId('pattern-count')).toHaveText(['4']);
});

test('more patterns than shown: the tab says how many there are, and Show more shows them', async ({ page }) => {
  const m = marker();
  // Lines of 1 to 35 words after the marker: 35 shapes.
  await seed(Array.from({ length: 35 }, (_, i) => `${m} ${Array.from({ length: i + 1 }, () => 'word').join(' ')}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  const summary = page.getByTestId('patterns-summary');
  await expect(summary).toHaveText('the 30 largest of 35 patterns in 35 lines');
  await page.getByRole('radio', { name: 'change' }).check();
  await expect(summary).toHaveText('the 30 largest of 35 patterns in 35 lines — change compared among these');
  await page.getByRole('button', { name: 'Show more patterns' }).click();
  await expect(page.getByTestId('pattern-row')).toHaveCount(35);
  await expect(summary).toHaveText('35 patterns in 35 lines');
  // A change that is no new search keeps them all: the histogram's bars, a refresh of the same range.
  // And nothing counts a screenful beside them.
  const limits: string[] = [];
  page.on('request', (r) => r.url().includes('/api/patterns?') && limits.push(new URL(r.url()).searchParams.get('limit')!));
  await page.getByTestId('interval').selectOption('1m');
  const tick = page.waitForResponse((r) => r.url().includes('/api/patterns?'));
  await page.getByLabel('Auto-refresh').selectOption('5s');
  expect(new URL((await tick).url()).searchParams.get('limit')).toBe('100');
  await expect(page.getByTestId('pattern-row')).toHaveCount(35);
  await page.getByLabel('Auto-refresh').selectOption('off');
  expect(limits.length).toBeGreaterThan(0);
  expect(limits.filter((limit) => limit !== '100')).toEqual([]);
  // A new search starts with a screenful again.
  await discover.search(`${m} or nothing-else`);
  await expect(summary).toHaveText('the 30 largest of 35 patterns in 35 lines — change compared among these');
});

test('Show more pressed from the keyboard takes the keyboard to the first pattern it added', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 35 }, (_, i) => `${m} ${Array.from({ length: i + 1 }, () => 'word').join(' ')}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  await expect(page.getByTestId('pattern-row')).toHaveCount(30);
  const first = await page.getByTestId('pattern-template').allInnerTexts();
  await page.getByRole('button', { name: 'Show more patterns' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pattern-row')).toHaveCount(35);
  const focused = page.getByTestId('pattern-row').filter({ has: page.locator('button.expand:focus') });
  await expect(focused).toHaveCount(1);
  expect(first).not.toContain(await focused.getByTestId('pattern-template').innerText());
});

test('a Show more that fails keeps the patterns shown, says why, and can be tried again unless it would time out again', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 35 }, (_, i) => `${m} ${Array.from({ length: i + 1 }, () => 'word').join(' ')}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  const rows = page.getByTestId('pattern-row');
  await expect(rows).toHaveCount(30);
  let failure: { status: number; code: string; message: string } | null = { status: 504, code: 'query_timeout', message: 'the query ran past 30 s' };
  await page.route(/\/api\/patterns\?.*limit=100/, (route) =>
    failure ? route.fulfill({ status: failure.status, json: { error: { code: failure.code, message: failure.message } } }) : route.continue(),
  );
  await page.getByRole('button', { name: 'Show more patterns' }).click();
  const problem = page.getByTestId('patterns-more-error');
  await expect(problem).toHaveText('Could not show more: counting more patterns took longer than the query time limit.');
  await expect(rows).toHaveCount(30);
  await expect(problem.getByRole('button', { name: 'Try again' })).toHaveCount(0);

  failure = { status: 503, code: 'storage_unavailable', message: 'the store is busy' };
  await discover.search(`${m} or nothing-else`);
  await expect(rows).toHaveCount(30);
  await page.getByRole('button', { name: 'Show more patterns' }).click();
  await expect(problem).toContainText('Could not show more: the store is busy');
  await expect(rows).toHaveCount(30);
  failure = null;
  await problem.getByRole('button', { name: 'Try again' }).click();
  await expect(rows).toHaveCount(35);
  await expect(problem).toHaveCount(0);
});

test('a pattern kept or dropped from the keyboard hands the focus to its new filter', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 6 }, (_, i) => `${m} order ${1000 + i * 17} placed for user ${i}`));
  await seed(Array.from({ length: 4 }, (_, i) => `ERROR ${m} payment ${77 + i} declined by acquirer`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h', tab: 'patterns' });
  const patterns = page.getByTestId('pattern-row');
  await expect(patterns).toHaveCount(2);
  const pills = page.getByTestId('filters').locator('.pill-label');

  // Dropped: its row goes with its button.
  await patterns.filter({ hasText: 'payment' }).getByTestId('pattern-filter-out').focus();
  await page.keyboard.press('Enter');
  await expect(patterns).toHaveCount(1);
  await expect(pills).toHaveCount(1);
  await expect(pills.first()).toBeFocused();
});
