// Values and messages a reader can tell apart: field values keep the tail that differs between
// pods, JSON lines lead with their message, the first match is in sight, and a phone reads logs.
import { expect, type Locator, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

/** Whether the last `n` characters of `element`'s text are painted inside its box (not cut off). */
async function tailIsVisible(element: Locator, n: number): Promise<boolean> {
  return element.evaluate((el, count) => {
    const box = el.getBoundingClientRect();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    while (walker.nextNode()) nodes.push(walker.currentNode as Text);
    const last = nodes.at(-1);
    if (!last || last.length < count) return false;
    const range = document.createRange();
    range.setStart(last, last.length - count);
    range.setEnd(last, last.length);
    const r = range.getBoundingClientRect();
    return r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1;
  }, n);
}

test('field values and names are readable and tell pods apart', async ({ page }) => {
  const m = marker();
  const pods = [`storefront-6c8d9f7b4-${m.slice(1, 6)}`, `storefront-6c8d9f7b4-${m.slice(6, 11)}`];
  const label = 'app.kubernetes.io/component';
  await seed([`INFO ${m} a`], { pod: pods[0], labels: { [label]: `checkout-frontend-${m}` } });
  await seed([`INFO ${m} b`], { pod: pods[1], labels: { [label]: `catalogue-backend-${m}` } });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.rows).toHaveCount(2);

  await discover.openField('pod');
  const values = discover.topValues.locator('.value');
  await expect(values).toHaveCount(2);
  for (const value of await values.all()) {
    const text = await value.textContent();
    expect(pods).toContain(text); // the whole value is the accessible text
    await expect(value).toHaveAttribute('title', text!); // and shows on hover
    expect(await tailIsVisible(value, 5)).toBe(true); // the part that differs is on screen
    expect(await tailIsVisible(value.locator('.mid-head'), 10)).toBe(true); // and a pod name this long is whole, not cut at all
  }
  await expect(discover.topValues.filter({ hasText: pods[0].slice(-5) })).toHaveCount(1);

  const labelField = page.locator(`[data-testid=field][data-field="labels.${label}"] .field-name`);
  await expect(labelField).toHaveAttribute('title', `labels.${label}`);
  expect(await tailIsVisible(labelField.locator('.name'), 'component'.length)).toBe(true);

  await discover.openField(`labels.${label}`);
  await expect(page.getByRole('button', { name: `Filter for labels.${label} checkout-frontend-${m}` })).toBeVisible();

  await discover.rows.first().click();
  await page.getByRole('button', { name: 'Add pod as a column' }).click();
  const podCell = discover.rows.first().locator('td.col-field');
  await expect(podCell).toHaveAttribute('title', pods[1]);
  expect(await tailIsVisible(podCell, 5)).toBe(true);
});

test('a JSON line leads with its message; the raw line is on expand', async ({ page }) => {
  const m = marker();
  const raw = `{"level":"info","time":"2026-12-05T10:00:00Z","msg":"order placed ${m}","order_id":"o-17","latency_ms":42}`;
  await seed([raw]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const message = discover.messages.first();
  await expect(message).toHaveText(`order placed ${m} order_id=o-17 latency_ms=42`);
  await expect(message.locator('.kv').first()).toHaveText('order_id=o-17');
  await discover.rows.first().click();
  await expect(page.getByTestId('raw-line')).toHaveText(raw);
});

test('the first match is brought into view in a long line', async ({ page }) => {
  const m = marker();
  const filler = Array.from({ length: 40 }, (_, i) => `key${i}=value${i}`).join(' ');
  await seed([`INFO ${filler} ${m} tail`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  const cell = discover.messages.first();
  const mark = cell.locator('mark').first();
  await expect(mark).toHaveText(m);
  const [cellBox, markBox] = [await cell.boundingBox(), await mark.boundingBox()];
  expect(markBox!.x).toBeGreaterThanOrEqual(cellBox!.x);
  expect(markBox!.x + markBox!.width).toBeLessThanOrEqual(cellBox!.x + cellBox!.width);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the table comes first, fits the screen, and the fields open in a drawer', async ({ page }) => {
    const m = marker();
    await seed([`WARN ${m} disk almost full on the node that runs the database`, `INFO ${m} fine`], { namespace: `ns-${m}` });
    const discover = new DiscoverPage(page);
    await discover.open({ q: m });
    await expect(discover.rows).toHaveCount(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const row = await discover.rows.first().boundingBox();
    expect(row!.y + row!.height).toBeLessThanOrEqual(844); // on the first screen
    const message = await discover.messages.first().boundingBox();
    expect(message!.x).toBeGreaterThanOrEqual(0);
    expect(message!.x + message!.width).toBeLessThanOrEqual(390);
    await expect(discover.fieldList.fields.first()).toBeHidden();

    await page.getByRole('button', { name: 'Fields' }).click();
    await discover.openField('namespace');
    await discover.fieldList.filterFor('namespace', `ns-${m}`);
    await expect(discover.pills).toHaveCount(1);
    await expect(discover.fieldList.fields.first()).toBeHidden(); // the drawer closes on a filter
    await expect(discover.rows).toHaveCount(2);
  });

  test('the order can be turned around where the table has no header', async ({ page }) => {
    const m = marker();
    await seed([`INFO ${m} first`, `INFO ${m} second`]);
    const discover = new DiscoverPage(page);
    await discover.open({ q: m });
    await expect(discover.messages).toHaveText([`INFO ${m} second`, `INFO ${m} first`]);
    await page.getByRole('button', { name: 'Newest first' }).click();
    await expect(discover.messages).toHaveText([`INFO ${m} first`, `INFO ${m} second`]);
    await expect(page.getByRole('button', { name: 'Oldest first' })).toBeVisible();
  });

  test('the fields drawer works from the keyboard: the focus goes in, Escape closes it and the focus comes back', async ({ page }) => {
    const m = marker();
    await seed([`INFO ${m} fine`]);
    const discover = new DiscoverPage(page);
    await discover.open({ q: m });
    const open = page.getByRole('button', { name: 'Fields' });
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('textbox', { name: 'Search field names' })).toBeFocused();
    // The page behind the backdrop is out of reach: backwards through the drawer, the focus never
    // lands on it, and `/` does not take the focus to the query box behind.
    const outside = () => page.evaluate(() => document.activeElement !== document.body && !document.activeElement?.closest('[data-testid=field-list]'));
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await outside()).toBe(false);
    }
    await page.keyboard.press('/');
    await expect(discover.query).not.toBeFocused();
    await page.keyboard.press('Escape');
    await expect(discover.fieldList.fields.first()).toBeHidden();
    await expect(open).toBeFocused();
  });
});

test('Saved, Share and History close on Escape or a press elsewhere, and give the focus back', async ({ page }) => {
  const discover = new DiscoverPage(page);
  await discover.open();
  for (const [name, panel] of [['Saved', 'Saved searches'], ['Share', 'Share this view']] as const) {
    const button = page.getByRole('button', { name, exact: true });
    await button.click();
    await expect(page.getByRole('group', { name: panel })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('group', { name: panel })).toHaveCount(0);
    await expect(button).toBeFocused();
    await button.click();
    await page.getByTestId('status-line').click();
    await expect(page.getByRole('group', { name: panel })).toHaveCount(0);
  }
  const history = page.getByRole('button', { name: 'History', exact: true });
  await history.click();
  await expect(page.getByTestId('history')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('history')).toHaveCount(0);
  await expect(history).toBeFocused();
});

test('an opened row keeps names apart from values and says which "level" is which', async ({ page }) => {
  const m = marker();
  await seed([`{"level":"warn","msg":"${m} slow"}`], { labels: { 'app.kubernetes.io/component': 'storefront-web' } });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  const label = page.locator('[data-testid=detail-field][data-field="labels.app.kubernetes.io/component"]');
  const [name, value] = [(await label.locator('th').boundingBox())!, (await label.locator('td.mono').boundingBox())!];
  expect(name.x + name.width).toBeLessThanOrEqual(value.x + 1);
  await expect(label.locator('td.mono')).toHaveText('storefront-web');
  const levels = page.locator('[data-testid=detail-field][data-field=level] th');
  await expect(levels).toHaveText(['level', 'level (in message)']);
  const actions = page.locator('[data-testid=detail-field][data-field=level]').first().getByRole('button');
  // Every line has a level: "exists" would filter nothing out. A label's row offers it.
  await expect(actions).toHaveText(['+', '−', '+ col']);
  await expect(page.getByRole('button', { name: 'Filter level exists' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Filter labels.app.kubernetes.io/component exists' })).toHaveAttribute(
    'title',
    'Only lines that have labels.app.kubernetes.io/component',
  );
});

test('a line\'s own "labels" field is not offered as a filter on the pod\'s labels', async ({ page }) => {
  const m = marker();
  await seed([`{"msg":"${m} ecs","labels":{"env":"prod"}}`], { labels: { env: 'staging' } });
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await discover.rows.first().click();
  const env = page.locator('[data-testid=detail-field][data-field="labels.env"]');
  await expect(env.locator('th')).toHaveText(['labels.env', 'labels.env (in message)']);
  await expect(env.locator('td.mono')).toHaveText(['staging', 'prod']);
  // Only the pod's label filters: `labels.env:prod` would search the pod's labels and find nothing.
  await expect(page.getByRole('button', { name: 'Filter for labels.env' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Filter for labels.env' }).click();
  await expect(discover.rows).toHaveCount(1);
});
