// Completes .next/standalone into what the image runs, after `next build`:
// - the static assets and public/, which Next leaves out of it (a CDN may serve them instead);
// - logpond-server.mjs: scripts/server.ts bundled (it stamps each request's peer address and
//   closes the store on SIGTERM, which Next's own standalone server.js does not do);
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
  fs.mkdirSync(path.join(STANDALONE_DIR, 'dist'), { recursive: true });
  fs.copyFileSync(buildCollector(), path.join(STANDALONE_DIR, 'dist', 'collector.mjs'));
  return STANDALONE_DIR;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) buildStandalone();
