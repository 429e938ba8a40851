// `npm test`: every test. Builds the app first when needed (the integration and browser tests
// run the real server over the production build), then runs Vitest (unit tests, and integration
// tests against real DuckDB files, ClickHouse in process — chDB, installed on the first run — and
// real servers on 127.0.0.1), then Playwright (the Discover page in a system Chromium, see
// playwright.config.ts). Arguments go to Vitest; with arguments
// the browser tests are skipped, so `npm test -- server/read` stays quick.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromiumPath } from '../e2e/chromium';
import { buildIfNeeded } from './build-if-needed';
import { ensureChdb } from './ensure-chdb';

const ROOT = path.resolve(import.meta.dirname, '..');
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const args = process.argv.slice(2);

if (args.length === 0) {
  try {
    chromiumPath(); // the browser tests need one: say so now, not after minutes of unit tests
  } catch (err) {
    console.error(`logpond: ${(err as Error).message}`);
    process.exit(1);
  }
}
buildIfNeeded();
ensureChdb(); // the ClickHouse engine's tests run on chDB
const run = (script: string, scriptArgs: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', ...script.split('/')), ...scriptArgs], { cwd: ROOT, stdio: 'inherit', env }).status ?? 1;

const unit = run('vitest/vitest.mjs', ['run', ...args]);
const browser = args.length > 0 ? 0 : run('@playwright/test/cli.js', ['test']);
process.exit(unit || browser);
