// Completes .next/standalone into what the image runs, after `next build`:
// - the static assets and public/, which Next leaves out of it (a CDN may serve them instead);
// - logpond-server.mjs: scripts/server.ts bundled (it stamps each request's peer address and
//   closes the store on SIGTERM, which Next's own standalone server.js does not do);
// - server/ingest/decode-worker.mjs: the ingest decode worker, bundled (no tsx in the image);
// - dist/collector.mjs: the collector, self-contained (scripts/build-collector.mjs).
// Plain JavaScript so it runs right after the build, without tsx.
import { buildSync } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { buildCollector } from './build-collector.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
export const STANDALONE_DIR = path.join(ROOT, '.next', 'standalone');

export function buildStandalone() {
  if (!fs.existsSync(path.join(STANDALONE_DIR, 'server.js'))) {
    throw new Error('no .next/standalone: run `next build` first (next.config.mjs sets output: standalone)');
  }
  // File tracing takes in the repository's sources (a path built from process.cwd() defeats it);
  // the server runs none of them: its code is in .next/server, the worker is bundled below.
  for (const dir of ['app', 'bench', 'collector', 'common', 'components', 'deployment', 'e2e', 'scripts', 'server']) {
    fs.rmSync(path.join(STANDALONE_DIR, dir), { recursive: true, force: true });
  }
  fs.cpSync(path.join(ROOT, '.next', 'static'), path.join(STANDALONE_DIR, '.next', 'static'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'public'), path.join(STANDALONE_DIR, 'public'), { recursive: true });
  buildSync({
    entryPoints: [path.join(ROOT, 'scripts', 'server.ts')],
    outfile: path.join(STANDALONE_DIR, 'logpond-server.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // next (and what it loads) comes from the traced node_modules beside it.
    packages: 'external',
    logLevel: 'warning',
  });
  // The ingest decode worker: in the repository its .mjs loads the TypeScript through tsx, which
  // the image does not have; here it is one plain file in the place decode-pool.ts looks.
  buildSync({
    entryPoints: [path.join(ROOT, 'server', 'ingest', 'decode-worker.ts')],
    outfile: path.join(STANDALONE_DIR, 'server', 'ingest', 'decode-worker.mjs'),
    // With its packages (zod): Next bundled them into its chunks, so node_modules here lacks them.
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  fs.mkdirSync(path.join(STANDALONE_DIR, 'dist'), { recursive: true });
  fs.copyFileSync(buildCollector(), path.join(STANDALONE_DIR, 'dist', 'collector.mjs'));
  return STANDALONE_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) buildStandalone();
