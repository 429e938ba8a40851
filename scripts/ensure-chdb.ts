// chDB (ClickHouse in process, about 550 MB) runs the ClickHouse engine's tests and the embedded
// demo, and is not a dependency: `npm ci` stays lean and the image never holds it. This installs
// the pinned release beside the others when it is missing (npm install --no-save, which leaves
// package.json and the lockfile alone; the next `npm ci` removes it again).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { CHDB_PACKAGE } from '../server/store/clickhouse/connect';

const ROOT = path.resolve(import.meta.dirname, '..');

export function ensureChdb(): void {
  try {
    createRequire(path.join(ROOT, 'package.json')).resolve(['chdb', 'connection'].join('/'));
    return;
  } catch {
    // not installed
  }
  console.log(`logpond: installing ${CHDB_PACKAGE} for the ClickHouse engine's tests (about 550 MB, once per install)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--no-save', '--no-audit', '--no-fund', CHDB_PACKAGE], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`npm install ${CHDB_PACKAGE} failed; the ClickHouse tests need it`);
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChdb();
