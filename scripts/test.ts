// `npm test`: every test. Builds the app first when needed (the integration tests run the real
// server over the production build), then runs Vitest: unit tests, and integration tests against
// real DuckDB files and real servers on 127.0.0.1.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildIfNeeded } from './build-if-needed';

const ROOT = path.resolve(import.meta.dirname, '..');

buildIfNeeded();
const vitest = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } },
);
process.exit(vitest.status ?? 1);
