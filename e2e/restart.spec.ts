// A server started again over a store full of lines: the page says no collector has sent since
// the start (not "no collector yet"), and the server prints no warning of Next's on the way.
import { expect, test } from '@playwright/test';
import { batch, lines, sourceMeta } from '../server/testing/batches';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

test('after a restart the header tells a full store with no collector yet from an empty one', async ({ page }) => {
  test.setTimeout(90_000);
  const { dir, cleanup } = await tempDir('logpond-restart-');
  try {
    const first = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    const entries = lines({ source: 'restart', file: 'restart:1', count: 3, startMs: 0, message: (i) => `line ${i}` });
    entries.forEach((e) => (e.ts = new Date().toISOString()));
    const sent = await fetch(`${first.url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch(entries, [sourceMeta('restart')])) });
    expect(sent.status).toBe(200);
    await first.stop();
    expect(first.output()).not.toContain('does not work with "output: standalone"');

    const second = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    try {
      await page.goto(second.url);
      await expect(page.getByTestId('status-line')).toContainText('3 entries');
      await expect(page.getByTestId('status-line')).toContainText('no collector has sent since the server started');
    } finally {
      await second.stop();
    }
  } finally {
    await cleanup();
  }
});
