// `npm start` and `npm test` build the app only when a source is newer than the last build, so a
// second start is instant and a fresh clone still works with one command.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildStandalone } from './build-standalone.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const INPUTS = ['app', 'components', 'server', 'common', 'public', 'instrumentation.ts', 'proxy.ts', 'next.config.mjs', 'package.json', 'tsconfig.json'];
const BUILD_ID = path.join(ROOT, '.next', 'BUILD_ID');

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of fs.readdirSync(target, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.name.endsWith('.test.ts')) {
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

export function buildIsStale(): boolean {
  if (!fs.existsSync(BUILD_ID)) return true;
  const built = fs.statSync(BUILD_ID).mtimeMs;
  return INPUTS.some((input) => newestMtime(path.join(ROOT, input)) > built);
}

export function buildIfNeeded(): void {
  if (!buildIsStale()) return;
  console.error('logpond: building the app (next build); this happens once after each change');
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) {
    console.error('logpond: the build failed; see the output above');
    process.exit(result.status ?? 1);
  }
  buildStandalone();
}
