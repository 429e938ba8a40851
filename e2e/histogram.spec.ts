// The histogram as a reader uses it: a tooltip that stays on the chart and lists every level of
// the bucket, labels that never repeat, and no focus box left behind by the mouse.
import { expect, test } from '@playwright/test';
import { DiscoverPage } from './pages/discover-page';
import { marker, seed } from './seed';

test.use({ viewport: { width: 1440, height: 900 } });

test('the tooltip lists every level of the bucket and stays on the chart', async ({ page }) => {
  const m = marker();
  const levels = ['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE'];
  await seed(Array.from({ length: 12 }, (_, i) => `${levels[i % levels.length]} ${m} line ${i}`)); // within one or two 15 s buckets
  const discover = new DiscoverPage(page);
  await discover.open({ q: m });
  await expect(discover.totalHits).toHaveText('12 hits');
  const chart = page.getByTestId('histogram-chart');
  const bars = chart.locator('.recharts-bar-rectangle path');
  // The tallest bar: the lines come a second apart, so the newest bucket may hold only one or two.
  await expect(bars.first()).toBeVisible();
  const heights = await bars.evaluateAll((paths) => paths.map((p) => p.getBoundingClientRect().height));
  await bars.nth(heights.indexOf(Math.max(...heights))).hover();
  const tooltip = page.getByTestId('histogram-tooltip');
  await expect(tooltip).toBeVisible();
  const bucketLevels = await tooltip.locator('.legend-item').allInnerTexts();
  expect(bucketLevels.length).toBeGreaterThanOrEqual(3);
  const [tip, area] = [(await tooltip.boundingBox())!, (await chart.boundingBox())!];
  expect(tip.y).toBeGreaterThanOrEqual(area.y - 1); // not over the toolbar
  expect(tip.y + tip.height).toBeLessThanOrEqual(area.y + area.height + 1); // not under the table

  const ticks = await chart.locator('.recharts-xAxis-tick-labels text').allTextContents();
  expect(ticks.length).toBeGreaterThan(3);
  expect(new Set(ticks).size).toBe(ticks.length);
});

test('a bar a day names the date its span ends on', async ({ page }) => {
  const m = marker();
  await seed([`${m} once`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-7d', interval: '1d' });
  await expect(discover.totalHits).toHaveText('1 hit');
  const bar = page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle path');
  await bar.first().hover();
  await expect(page.getByTestId('histogram-tooltip').locator('div').first()).toHaveText(/^\d\d-\d\d \d\d:\d\d:\d\d – \d\d-\d\d \d\d:\d\d:\d\d · 1 hit$/);
});

test("bars a day start at midnight in the reader's time zone, not in UTC", async ({ page }) => {
  const m = marker();
  await seed([`${m} once`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-7d', interval: '1d' });
  await page.getByTestId('time-zone').selectOption('America/New_York');
  await expect(page.getByTestId('resolved-range')).toContainText('(America/New_York)');
  await page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle path').first().hover();
  await expect(page.getByTestId('histogram-tooltip').locator('div').first()).toHaveText(/^\d\d-\d\d 00:00:00 – \d\d-\d\d 00:00:00 · 1 hit$/);
});

test('bars the range cuts are marked, and their tooltip says which part of them is counted', async ({ page }) => {
  const m = marker();
  await seed([`${m} once`]);
  const discover = new DiscoverPage(page);
  // Bars a day over the last 7 days: the first starts at a midnight before the range, the last ends at one after it.
  await discover.open({ q: m, from: 'now-7d', interval: '1d' });
  await expect(discover.totalHits).toHaveText('1 hit');
  const chart = page.getByTestId('histogram-chart');
  await expect(chart.locator('.histogram-partial')).toHaveCount(2);
  await chart.locator('.recharts-bar-rectangle path').first().hover(); // today's, the last
  await expect(page.getByTestId('histogram-partial-note')).toHaveText(/^Partial bar: counted up to \d\d-\d\d \d\d:\d\d:\d\d only$/);
});

test('a drag on the chart leaves no focus box behind', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 20 }, (_, i) => `${m} tick ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-30m' });
  await expect(discover.rows).toHaveCount(20);
  await discover.histogram.drag(0.2, 0.5);
  await expect(page.getByTestId('quick-range')).toHaveValue('custom');
  const outlined = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=histogram-chart] *')].filter((e) => {
      const style = getComputedStyle(e);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    }).length,
  );
  expect(outlined).toBe(0);
});

test('a count the server refuses says why where the chart was, and the split can be changed back', async ({ page }) => {
  const m = marker();
  await seed([`INFO ${m} one`, `INFO ${m} two`]);
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, split: 'message' }); // a hand-edited link: the message is free text
  await expect(discover.rows).toHaveCount(2);
  await expect(page.getByTestId('histogram-error')).toContainText('split: message is free text');
  await page.getByTestId('split-by').selectOption({ label: 'level' });
  await expect(discover.totalHits).toHaveText('2 hits');
  await expect(page.getByTestId('histogram-error')).toHaveCount(0);
});

test('the bar interval can be chosen, as in Kibana, is scaled where it would make too many bars, and stays in the link', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 10 }, (_, i) => `INFO ${m} line ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-1h' });
  await expect(discover.totalHits).toHaveText('10 hits');
  const interval = page.getByTestId('interval');
  await expect(interval.locator('option:checked')).toHaveText('Auto (per minute)');
  const bars = page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle');

  const asked = page.waitForRequest((r) => r.url().includes('/api/histogram?') && new URL(r.url()).searchParams.get('interval') === '3600000');
  await interval.selectOption({ label: 'per hour' });
  await asked;
  await expect.poll(() => new URL(page.url()).searchParams.get('interval')).toBe('1h');
  await expect(discover.totalHits).toHaveText('10 hits');
  await expect(page.getByTestId('interval-scaled')).toHaveCount(0);
  await expect(interval.locator('option[value=""]')).toHaveText('Auto');

  // A bar a second over an hour would be 3,600 bars: scaled to the finest round interval within 1,000.
  await interval.selectOption({ label: 'per second' });
  await expect(page.getByTestId('interval-scaled')).toHaveText('scaled to 5 seconds');
  await page.reload();
  await expect(interval).toHaveValue('1s');
  await expect(page.getByTestId('interval-scaled')).toHaveText('scaled to 5 seconds');
  await interval.selectOption('');
  await expect.poll(() => new URL(page.url()).searchParams.get('interval')).toBeNull();
  await expect(interval.locator('option:checked')).toHaveText('Auto (per minute)');
});
