// The field list beyond the top five: a field in depth, several values at once, the histogram
// split by a field, and views saved under a name.
import { expect, type Page, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test('a field opens in depth: distinct values, presence, and numbers summarised', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 10 }, (_, i) => `{"msg":"${m} request","latency_ms":${(i + 1) * 10}}`));
  await seed([`${m} a plain line`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(11);
  await discover.openField('latency_ms');
  await expect(page.getByTestId('field-summary')).toHaveText('10 distinct values · in 90.9% of 11 hits');
  const numbers = page.getByTestId('numeric-stats');
  await expect(numbers.locator('dd')).toHaveText(['10', '55', '55', '95.5', '100']);
  await expect(numbers.getByLabel('Distribution').locator('span')).not.toHaveCount(0);
  await expect(discover.topValues).toHaveCount(10); // ten, not five
});

for (const { kind, lines, field, value, arrived } of [
  { kind: 'text', lines: (m: string) => [`{"msg":"${m} one","code":"E1"}`, `{"msg":"${m} two","code":"E2"}`], field: 'code', value: 'E1', arrived: 'field-summary' },
  { kind: 'numeric', lines: (m: string) => [`{"msg":"${m} one","took":10}`, `{"msg":"${m} two","took":20}`], field: 'took', value: '10', arrived: 'numeric-stats' },
]) {
test(`an opened ${kind} field's values stay where they are when its counts arrive, so a click lands where it was aimed`, async ({ page }) => {
  const m = marker();
  await seed(lines(m));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);
  let answer!: () => void;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await page.route(/\/api\/field-stats\?/, async (route) => {
    await answered;
    await route.continue();
  });
  await discover.openField(field);
  const plus = page.getByRole('button', { name: `Filter for ${field} ${value}` });
  const before = (await plus.boundingBox())!;
  answer();
  await expect(page.getByTestId('field-summary')).toHaveText('2 distinct values · in 100% of 2 hits');
  await expect(page.getByTestId(arrived)).toBeVisible();
  expect((await plus.boundingBox())!.y).toBe(before.y);
});
}

/** A line from each of three namespaces, the page on them, and alpha and gamma ticked in the field. */
async function twoNamespacesChosen(page: Page) {
  const m = marker();
  for (const ns of ['alpha', 'beta', 'gamma']) await seed([`${m} from ${ns}`], { namespace: `${ns}-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(3);
  await discover.openField('namespace');
  await page.getByRole('checkbox', { name: `Choose namespace alpha-${m}` }).check();
  await page.getByRole('checkbox', { name: `Choose namespace gamma-${m}` }).check();
  return { m, discover };
}

test('several values of a field filter at once ("is one of")', async ({ page }) => {
  const { m, discover } = await twoNamespacesChosen(page);
  await page.getByRole('button', { name: 'Filter for 2 chosen' }).click();
  await expect(discover.pills).toHaveCount(1);
  await expect(discover.pills.first()).toContainText(`namespace is one of alpha-${m}, gamma-${m}`);
  await expect(discover.messages).toHaveText([`${m} from gamma`, `${m} from alpha`]);
});

test('values chosen in a field are let go once a search no longer lists them', async ({ page }) => {
  const { m, discover } = await twoNamespacesChosen(page);
  await page.getByRole('button', { name: `Filter for namespace beta-${m}` }).click();
  await expect(discover.messages).toHaveText([`${m} from beta`]);
  await expect(discover.topValues).toHaveCount(1);
  await expect(page.getByRole('button', { name: /chosen/ })).toHaveCount(0);
});

test('the histogram splits by a field from the field list or its own menu', async ({ page }) => {
  const m = marker();
  await seed([`${m} one`, `${m} two`], { pod: `web-${m}` });
  await seed([`${m} three`], { pod: `db-${m}` });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('3 hits');
  await discover.openField('pod');
  await page.getByRole('button', { name: 'Visualize' }).click();
  const legend = page.getByTestId('legend').locator('.legend-item');
  await expect(legend).toHaveText([`web-${m}`, `db-${m}`]);
  await expect(page.getByTestId('split-by')).toHaveValue('pod');
  expect(new URL(page.url()).searchParams.get('split')).toBe('pod');
  await discover.rows.first().hover();
  await page.getByTestId('split-by').selectOption('');
  await expect(legend).toHaveText(['unknown']);
  expect(new URL(page.url()).searchParams.get('split')).toBeNull();
  // Level is how the bars are stacked already: its Visualize is that, not a second "level".
  await discover.openField('level');
  await page.getByRole('button', { name: 'Visualize' }).click();
  await expect(page.getByTestId('split-by').locator('option', { hasText: /^level$/ })).toHaveCount(1);
  await expect(page.getByTestId('split-by')).toHaveValue('');
});

test('an empty field list says why: no hits, or no name that matches', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(1);
  const fieldSearch = page.getByLabel('Search field names');
  await fieldSearch.click();
  await page.keyboard.type('zzz-nothing');
  await expect(page.getByTestId('no-fields')).toHaveText('No field name contains “zzz-nothing”.');
  await fieldSearch.fill('');
  await discover.search(`${m} and nothing-like-it-${m}`);
  await expect(discover.totalHits).toHaveText('0 hits');
  await expect(page.getByTestId('no-fields')).toHaveText('No hits, so no fields: widen the time range or the query.');
});

test('a view saved under a name opens again after a reload, and can be deleted', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} keep`, `INFO ${m} other`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and level:warn`, cols: 'stream' });
  await expect(discover.rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Saved' }).click();
  await page.getByLabel('Name of this search').fill(`warnings ${m}`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('saved-current')).toHaveText(`warnings ${m}`);
  await page.getByRole('button', { name: 'Saved', exact: true }).click();
  await expect(page.getByTestId('saved-search').filter({ hasText: `warnings ${m}` })).toHaveCount(1);
  await page.getByRole('button', { name: 'Saved', exact: true }).click();

  await discover.search(m);
  await expect(discover.rows).toHaveCount(2);
  await page.reload();
  await page.getByRole('button', { name: 'Saved' }).click();
  await page.getByRole('button', { name: `warnings ${m}`, exact: true }).click();
  await expect(discover.query).toHaveValue(`${m} and level:warn`);
  await expect(discover.rows).toHaveCount(1);
  await expect(page.locator('th.col-field .col-name')).toHaveText(['stream']);

  await page.getByRole('button', { name: 'Saved' }).click();
  await page.getByRole('button', { name: `Delete saved search warnings ${m}` }).click();
  await page.getByRole('button', { name: `Delete “warnings ${m}”` }).click();
  await expect(page.getByTestId('saved-search').filter({ hasText: `warnings ${m}` })).toHaveCount(0);
});

test('saved searches keep the keyboard focus: on Saved after a save or an open, in the panel after Keep or Delete; an old failure is gone on reopening', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const saved = page.getByRole('button', { name: 'Saved', exact: true });
  const name = page.getByLabel('Name of this search');
  // A save the server fails says so; the panel opened again later does not say it again.
  await page.route('**/api/saved-searches', (route) => (route.request().method() === 'POST' ? route.fulfill({ status: 503, json: { error: { code: 'storage_unavailable', message: 'the store is busy' } } }) : route.fallback()));
  await saved.click();
  await name.fill(`kept ${m}`);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('saved-searches')).toContainText('Not saved: the store is busy');
  await page.keyboard.press('Escape');
  await page.unroute('**/api/saved-searches');
  await saved.press('Enter');
  await expect(name).toBeVisible();
  await expect(page.getByTestId('saved-searches')).not.toContainText('Not saved');

  await name.fill(`kept ${m}`);
  await name.press('Enter');
  await expect(page.getByTestId('saved-current')).toHaveText(`kept ${m}`);
  await expect(saved).toBeFocused();

  await saved.press('Enter');
  await page.getByRole('button', { name: `kept ${m}`, exact: true }).press('Enter');
  await expect(page.getByTestId('saved-searches')).toHaveCount(0);
  await expect(saved).toBeFocused();

  await saved.press('Enter');
  const cross = page.getByRole('button', { name: `Delete saved search kept ${m}` });
  await cross.press('Enter');
  await page.getByRole('button', { name: 'Keep' }).press('Enter');
  await expect(cross).toBeFocused();
  await cross.press('Enter');
  await page.getByRole('button', { name: `Delete “kept ${m}”` }).press('Enter');
  await expect(page.getByTestId('saved-search').filter({ hasText: `kept ${m}` })).toHaveCount(0);
  await expect(name).toBeFocused();
});

test('the open saved search stays named through a reload and Back, as the link holds it', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} keep`, `INFO ${m} other`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and level:warn` });
  await page.getByRole('button', { name: 'Saved', exact: true }).click();
  await page.getByLabel('Name of this search').fill(`kept ${m}`);
  await page.keyboard.press('Enter');
  const current = page.getByTestId('saved-current');
  await expect(current).toHaveText(`kept ${m}`);
  await page.reload();
  await expect(current).toHaveText(`kept ${m}`);
  await discover.search(m);
  await expect(discover.rows).toHaveCount(2);
  await expect(current).toHaveText(`kept ${m} (changed)`);
  await page.reload();
  await expect(current).toHaveText(`kept ${m} (changed)`);
  await page.goBack();
  await expect(discover.rows).toHaveCount(1);
  await expect(current).toHaveText(`kept ${m}`);
  // A link to a saved search that is not there (deleted, or someone else's) opens its view alone.
  await discover.open({ q: m, saved: 'no-such-search' });
  await expect(discover.rows).toHaveCount(2);
});

test('the open saved search is named, says when the view changed, saves changes in place, and asks before replacing or deleting', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} keep`, `INFO ${m} other`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: `${m} and level:warn` });
  const saved = page.getByRole('button', { name: 'Saved', exact: true });
  const name = page.getByLabel('Name of this search');
  const ours = page.getByTestId('saved-search').filter({ hasText: m });
  await saved.click();
  await name.fill(`warn ${m}`);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const current = page.getByTestId('saved-current');
  await expect(current).toHaveText(`warn ${m}`);

  await discover.search(`${m} and level:info`);
  await expect(current).toHaveText(`warn ${m} (changed)`);
  await saved.click();
  await expect(name).toHaveValue(`warn ${m}`);
  // Saving names what is on screen: it searches nothing again.
  const searched: string[] = [];
  page.on('request', (r) => r.url().includes('/api/search?') && searched.push(r.url()));
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(current).toHaveText(`warn ${m}`);
  await page.waitForTimeout(500);
  expect(searched).toEqual([]);
  await saved.click();
  await expect(ours).toHaveCount(1);

  // Under another name: a second saved search, the open one from now on.
  await name.fill(`info ${m}`);
  await page.getByRole('button', { name: 'Save as new' }).click();
  await expect(current).toHaveText(`info ${m}`);
  await saved.click();
  await expect(ours).toHaveCount(2);

  // The name of another saved search: asked before it is replaced.
  await name.fill(`warn ${m}`);
  await name.press('Enter');
  await expect(page.getByTestId('saved-searches')).toContainText(`“warn ${m}” exists`);
  await expect(current).toHaveText(`info ${m}`);
  await page.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(current).toHaveText(`warn ${m}`);
  await saved.click();
  await expect(ours).toHaveCount(2);

  // Deleting is asked too, and "Keep" keeps it.
  await page.getByRole('button', { name: `Delete saved search info ${m}` }).click();
  await page.getByRole('button', { name: 'Keep', exact: true }).click();
  await expect(ours).toHaveCount(2);
  await page.getByRole('button', { name: `Delete saved search warn ${m}` }).click();
  await page.getByRole('button', { name: `Delete “warn ${m}”` }).click();
  await expect(ours).toHaveCount(1);
  await expect(current).toHaveCount(0); // the open one is gone
});

test('the open saved search is renamed in place, as Kibana saves it under a new title, and a rename onto another name asks first', async ({ page }) => {
  const m = marker();
  await seed([`WARN ${m} keep`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const saved = page.getByRole('button', { name: 'Saved', exact: true });
  const name = page.getByLabel('Name of this search');
  const ours = page.getByTestId('saved-search').filter({ hasText: m });
  const current = page.getByTestId('saved-current');
  for (const title of [`first ${m}`, `second ${m}`]) {
    await saved.click();
    await name.fill(title);
    await name.press('Enter');
    await expect(current).toHaveText(title);
  }

  await saved.click();
  await name.fill(`renamed ${m}`);
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(current).toHaveText(`renamed ${m}`);
  await saved.click();
  await expect(ours).toHaveText([`first ${m}×`, `renamed ${m}×`]);
  await page.reload();
  await expect(current).toHaveText(`renamed ${m}`); // the link still names the same search

  // Onto the name of another: asked, then that one is replaced and this one keeps its place.
  await saved.click();
  await name.fill(`first ${m}`);
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await expect(page.getByTestId('saved-searches')).toContainText(`“first ${m}” exists`);
  await page.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(current).toHaveText(`first ${m}`);
  await saved.click();
  await expect(ours).toHaveText([`first ${m}×`]);
  expect(new URL(page.url()).searchParams.get('saved')).not.toBeNull();
});
