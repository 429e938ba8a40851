// Browser tests of the Discover page: a system Chromium (LOGPOND_CHROMIUM or /usr/bin/chromium;
// `npx playwright install` cannot download browsers here) against the real server on a temp data
// dir, one per worker, started by e2e/global-setup.ts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './e2e/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  // Two files at a time, each worker on a server of its own (global-setup.ts): with one, a third
  // of two cores sat idle while specs waited on the server and the browser; on one shared server
  // specs raced each other's lines and counts.
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
    // Recording a trace for every test costs a third of the suite's time on two cores; a failure
    // gets a screenshot, and `npx playwright test --trace retain-on-failure` records traces again.
    trace: 'off',
    screenshot: 'only-on-failure',
    // One browser context for the worker, reset between tests (cookies, storage, cache, routes,
    // init scripts, extra pages): a fresh context per test starts a renderer and compiles the
    // page's scripts cold each time, a quarter of the browser suite's time on two cores. Not reset:
    // history and permissions a test grants, so no spec may rely on either being empty.
    reuseContext: true,
  },
});
