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

test('across the end of daylight saving time a day bar runs midnight to midnight, and a click zooms to all of it', async ({ page }) => {
  // New York leaves daylight saving time on 2026-11-01 at 06:00 UTC: that Sunday has 25 hours
  // there. Lines that old are past the test server's retention, so the server's bars are given
  // here as it answers them (server/read/histogram-zone.test.ts counts them on both engines).
  await page.route('**/api/histogram?*', (route) =>
    route.fulfill({
      json: {
        from: '2026-10-31T04:00:00.000000Z',
        to: '2026-11-03T05:00:00.000000Z',
        intervalMs: 86_400_000,
        total: 2,
        buckets: [
          { ts: '2026-10-31T04:00:00.000000Z', count: 1, levels: { info: 1 } },
          { ts: '2026-11-01T04:00:00.000000Z', count: 1, levels: { info: 1 } },
          { ts: '2026-11-02T05:00:00.000000Z', count: 0, levels: {} },
        ],
      },
    }),
  );
  const discover = new DiscoverPage(page);
  await discover.open({ from: '2026-10-31T04:00:00.000Z', to: '2026-11-03T05:00:00.000Z', interval: '1d' });
  await page.getByTestId('time-zone').selectOption('America/New_York');
  await expect(discover.totalHits).toHaveText('2 hits');
  const bars = page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle path');
  await expect(bars).toHaveCount(2);
  await bars.last().hover();
  await expect(page.getByTestId('histogram-tooltip').locator('div').first()).toHaveText('11-01 00:00:00 – 11-02 00:00:00 · 1 hit');
  await bars.last().click();
  await expect.poll(() => new URL(page.url()).searchParams.get('to')).toBe('2026-11-02T05:00:00.000Z');
  expect(new URL(page.url()).searchParams.get('from')).toBe('2026-11-01T04:00:00.000Z');
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

test('a click on a bar wider than the range zooms within the range, never out of it, and the bars go back to Auto', async ({ page }) => {
  const m = marker();
  await seed([`${m} once`]);
  const discover = new DiscoverPage(page);
  const opened = Date.now();
  await discover.open({ q: m, from: 'now-15m', interval: '1h' });
  await expect(discover.totalHits).toHaveText('1 hit');
  await page.getByTestId('histogram-chart').locator('.recharts-bar-rectangle path').first().click();
  await expect(page.getByTestId('interval')).toHaveValue('');
  const url = new URL(page.url());
  expect(url.searchParams.get('interval')).toBeNull();
  expect(Date.parse(url.searchParams.get('from')!)).toBeGreaterThanOrEqual(opened - 15 * 60_000 - 5_000);
  expect(Date.parse(url.searchParams.get('to')!)).toBeLessThanOrEqual(Date.now());
  await expect(discover.totalHits).toHaveText('1 hit');
});

test('a second drag right after a zoom, on the bars still drawn while it counts, zooms to the times dragged across', async ({ page }) => {
  const m = marker();
  await seed(Array.from({ length: 20 }, (_, i) => `${m} tick ${i}`));
  const discover = new DiscoverPage(page);
  await discover.open({ q: m, from: 'now-30m' });
  await expect(discover.rows).toHaveCount(20);
  // A slow store: every count from now on takes a while, as a week's does on a busy server.
  await page.route('**/api/histogram?*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.fallback();
  });
  await discover.histogram.drag(0.2, 0.5);
  await expect.poll(() => new URL(page.url()).searchParams.get('from') ?? '').toMatch(/^\d{4}-\d\d-\d\dT/);
  const zoomed = page.url();
  // At once, on the last range's bars, dimmed while the new one is counted. The first drag had
  // selected the axis labels it crossed as text, and this press dragged that text away instead.
  await expect(discover.totalHits).toHaveAttribute('aria-busy', 'true');
  await discover.histogram.drag(0.3, 0.7);
  await expect.poll(() => page.url()).not.toBe(zoomed);
  const url = new URL(page.url());
  const span = Date.parse(url.searchParams.get('to')!) - Date.parse(url.searchParams.get('from')!);
  expect(span).toBeGreaterThan(0);
  expect(span).toBeLessThan(30 * 60_000 * 0.5);
});
