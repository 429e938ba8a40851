// Enter searches: the rule of Kibana and Grafana. A suggestion is taken only after the user moved
// into the list (↑/↓) or pressed Tab, and a list computed for older text never edits newer text.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('Enter runs the query as typed while suggestions are open', async ({ page }) => {
  const m = marker();
  await seed([`ERROR ${m} connection refused by upstream`, `INFO ${m} connected`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`${m} "connection refused"`);
  await expect(discover.suggestions.first()).toBeVisible(); // the list is open, as it usually is
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`ERROR ${m} connection refused by upstream`]);
  await expect(discover.query).toHaveValue(`${m} "connection refused"`);
  expect(new URL(page.url()).searchParams.get('q')).toBe(`${m} "connection refused"`);
});

test('a second Enter searches again and adds nothing to the query', async ({ page }) => {
  const m = marker();
  await seed([`ERROR ${m} one`, `INFO ${m} two`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`${m} and level:error`);
  await expect(discover.suggestions.first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`ERROR ${m} one`]);
  await expect(discover.suggestions).toHaveCount(0); // a search closes the list
  await page.keyboard.press('Enter');
  await expect(discover.query).toHaveValue(`${m} and level:error`);
  await expect(discover.messages).toHaveText([`ERROR ${m} one`]);
});

test('↓ then Enter takes the highlighted suggestion; Tab takes the first', async ({ page }) => {
  const m = marker();
  const namespace = `ns-${m}`;
  await seed([`hello ${m}`], { namespace });
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`namespace:ns-${m.slice(0, 5)}`);
  await discover.searchBar.expectFirstSuggestion(namespace);
  await expect(discover.suggestions.first()).toHaveAttribute('aria-selected', 'false'); // nothing is chosen until the user moves
  await page.keyboard.press('ArrowDown');
  await expect(discover.suggestions.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(discover.query).toHaveValue(`namespace:${namespace} `);
  await page.keyboard.press('Enter'); // the list is no longer entered: this searches
  await expect(discover.messages).toHaveText([`hello ${m}`]);

  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and lev`);
  await discover.searchBar.expectFirstSuggestion('level:');
  await page.keyboard.press('Tab');
  await expect(discover.query).toHaveValue(`${m} and level:`);
  await expect(discover.query).toBeFocused();
});

test('↓ through a long list keeps the highlighted suggestion in view', async ({ page }) => {
  const m = marker();
  const fields = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`${m}_${String(i).padStart(2, '0')}`, i]));
  await seed([JSON.stringify({ msg: 'many fields', ...fields })]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`${m}_`);
  await discover.searchBar.expectFirstSuggestion(`${m}_00`);
  const count = await discover.suggestions.count();
  expect(count).toBeGreaterThan(15);
  for (let i = 0; i < count; i++) await page.keyboard.press('ArrowDown');
  const last = discover.suggestions.nth(count - 1);
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last).toBeInViewport();
  await page.keyboard.press('ArrowDown'); // round to the top
  await expect(discover.suggestions.first()).toBeInViewport();
});

test('a list computed for older text never edits newer text', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type('lev');
  await discover.searchBar.expectFirstSuggestion('level:');
  await page.keyboard.type('el:(error'); // faster than the next suggestions can come
  await page.keyboard.press('Tab');
  await expect(discover.query).toHaveValue('level:(error');
});

test('recent queries are a click away, newest first, and survive a reload', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} alpha`, `WARN ${m} beta`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.search(`${m} and alpha`);
  await expect(discover.messages).toHaveText([`INFO ${m} alpha`]);
  await discover.search(`${m} and beta`);
  await expect(discover.messages).toHaveText([`WARN ${m} beta`]);
  await page.reload();
  await page.getByRole('button', { name: 'History', exact: true }).click();
  const history = page.getByTestId('history').getByRole('button');
  await expect(history.nth(0)).toHaveText(`${m} and beta`);
  await expect(history.nth(1)).toHaveText(`${m} and alpha`);
  await history.nth(1).click();
  await expect(discover.messages).toHaveText([`INFO ${m} alpha`]);
  await expect(discover.query).toHaveValue(`${m} and alpha`);
});

test('typing on right after Enter is never overwritten by the search that Enter ran', async ({ page }) => {
  test.setTimeout(60_000); // the typing runs on a CPU slowed twelvefold
  const m = marker();
  await seed([`INFO ${m} first`, `WARN ${m} second`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  await discover.query.click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and first`);
  // A slow machine, where the view Enter put in the URL reaches the box while the next words are typed.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 12 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+a');
  await page.keyboard.type(`${m} and second`, { delay: 20 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await expect(discover.query).toHaveValue(`${m} and second`);
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveText([`WARN ${m} second`]);
  expect(new URL(page.url()).searchParams.get('q')).toBe(`${m} and second`);
});

test('↓ then Enter before the list has caught up with the typing takes the suggestion, never searches the half-typed text', async ({ page }) => {
  const m = marker();
  const namespace = `ns-${m}`;
  await seed([`hello ${m}`], { namespace });
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`namespace:ns-${m.slice(0, 4)}`);
  await discover.searchBar.expectFirstSuggestion(namespace);
  // One more letter, then at once ↓ and Enter: the list on screen is still the one for the text before.
  await page.keyboard.type(m.slice(4, 5));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(discover.query).toHaveValue(`namespace:${namespace} `);
  expect(new URL(page.url()).searchParams.get('q')).toBeNull();
});

test('Tab from the empty search box moves on and types nothing', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await expect(discover.suggestions.first()).toBeVisible(); // the field names, offered on focus
  await page.keyboard.press('Tab');
  await expect(discover.query).not.toBeFocused();
  await expect(discover.query).toHaveValue('');
});

test('a numeric field typed whole offers its comparisons, and one taken waits for the number', async ({ page }) => {
  const m = marker();
  const field = `took_${m}`;
  await seed([`{"msg":"fast ${m}","${field}":120}`, `{"msg":"slow ${m}","${field}":950}`]);
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(field);
  await discover.searchBar.expectFirstSuggestion(`${field}:`);
  await discover.suggestions.filter({ hasText: `${field}>=` }).click();
  await expect(discover.query).toHaveValue(`${field}>=`);
  await page.keyboard.type('500');
  await page.keyboard.press('Enter');
  await expect(discover.messages).toHaveCount(1);
  await expect(discover.messages.first()).toContainText(`slow ${m}`);

  // Where a term starts, the letters of `not` offer it.
  await page.keyboard.type(' and n');
  await expect(discover.suggestions.filter({ hasText: /^operator\s*not$/ })).toBeVisible();
});

test('a query typed but not searched yet is marked, and the Search button asks for it, as Kibana asks to Update', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveText([`INFO ${m} one`]);
  const search = page.getByRole('button', { name: 'Search', exact: true });
  await expect(discover.query).not.toHaveClass(/pending/);
  await discover.query.click();
  await page.keyboard.type(' and two');
  await expect(discover.query).toHaveClass(/pending/);
  await expect(discover.query).toHaveAttribute('title', 'Not searched yet: press Enter to search what is typed');
  await expect(search).toHaveClass(/needs-update/);
  await page.keyboard.press('Enter');
  await expect(discover.query).not.toHaveClass(/pending/);
  await expect(search).not.toHaveClass(/needs-update/);
  // Typed back to what was searched, nothing is pending.
  await page.keyboard.type('x');
  await page.keyboard.press('Backspace');
  await expect(discover.query).not.toHaveClass(/pending/);
});

test('a query typed but not searched is searched with a new time range, as Kibana applies both on Update', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`, `INFO ${m} two`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.messages).toHaveText([`INFO ${m} two`, `INFO ${m} one`]);
  await discover.query.click();
  await page.keyboard.type(' and two');
  await discover.quickRange('Last 1 hour');
  await expect(discover.messages).toHaveText([`INFO ${m} two`]);
  await expect(discover.query).not.toHaveClass(/pending/);
  expect(new URL(page.url()).searchParams.get('q')).toBe(`${m} and two`);
  // Apply with a typed range takes the typed query too.
  await discover.query.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(m);
  await discover.timePicker.from.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('now-2h');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(discover.messages).toHaveText([`INFO ${m} two`, `INFO ${m} one`]);
  await expect(discover.query).not.toHaveClass(/pending/);
});

test('a caret moved after ↓ leaves the list unchosen, so Enter searches what is typed', async ({ page }) => {
  const m = marker();
  await seed([`hello ${m}`], { namespace: `ns-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open();
  await discover.query.click();
  await page.keyboard.type(`${m} and namespace:ns-${m.slice(0, 5)}`);
  await discover.searchBar.expectFirstSuggestion(`ns-${m}`);
  await page.keyboard.press('ArrowDown');
  await expect(discover.suggestions.first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(discover.suggestions.first()).toHaveAttribute('aria-selected', 'false');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(`${m} and namespace:ns-${m.slice(0, 5)}`);
  await expect(discover.query).toHaveValue(`${m} and namespace:ns-${m.slice(0, 5)}`);
});

test('a suggestion clicked while its list is being brought up to date is taken once it is, and auto-refresh does not dim the list', async ({ page }) => {
  const m = marker();
  const namespace = `ns-${m}`;
  await seed([`hello ${m}`], { namespace });
  const discover = new DiscoverPage(page);
  await discover.open({ refresh: '5s' });
  await discover.query.click();
  await page.keyboard.type(`namespace:ns-${m.slice(0, 4)}`);
  await discover.searchBar.expectFirstSuggestion(namespace);
  // Each auto-refresh moves "now"; the list stays the one for the text typed, neither dimmed
  // nor asked for again.
  let asked = 0;
  page.on('request', (request) => void (request.url().includes('/api/suggest?') && asked++));
  await page.waitForTimeout(6_000);
  expect(asked).toBe(0);
  await expect(page.getByTestId('suggestions')).not.toHaveClass(/stale/);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/suggest?*', async (route) => {
    await released;
    await route.continue();
  });
  await page.keyboard.type(m.slice(4, 5));
  await expect(page.getByTestId('suggestions')).toHaveClass(/stale/);
  await discover.suggestions.first().click();
  release();
  await expect(discover.query).toHaveValue(`namespace:${namespace} `);
});

test('arrows on the quick range choose without searching each step; Enter searches the range chosen, and Custom goes to From', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('1 hit');
  let searched = 0;
  page.on('request', (request) => void (request.url().includes('/api/search?') && searched++));
  const quick = discover.timePicker.quickRange;
  await quick.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(quick).toHaveValue('now-24h');
  expect(searched).toBe(0);
  expect(new URL(page.url()).searchParams.get('from')).toBeNull();
  await page.keyboard.press('Enter');
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).toBe('now-24h');
  await expect(discover.totalHits).toHaveText('1 hit');
  expect(searched).toBe(1);

  await quick.selectOption({ label: 'Custom' });
  await expect(discover.timePicker.from).toBeFocused();
  expect(new URL(page.url()).searchParams.get('from')).toBe('now-24h');
});
