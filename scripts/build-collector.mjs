// Bundles the collector (collector/main.ts and what it imports from collector/ and common/)
// into dist/collector.mjs, which `npm run collector`, `npm start`, the tests and the image run.
// The collector's budget on a node is 100 MiB, and what it loads is most of it. Measured idle:
// TypeScript through tsx 81 MiB (a loader thread with its own V8 heap); bundled but importing
// @kubernetes/client-node whole 121 MiB (every generated API and model); bundled with the
// packages, which lets esbuild drop what is never called, about 60 MiB. A build takes about a
// second, so every start rebuilds rather than guessing whether the bundle is stale.
// Plain JavaScript, so it runs before anything is compiled.
import { buildSync } from 'esbuild';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
export const COLLECTOR_BUNDLE = path.join(ROOT, 'dist', 'collector.mjs');

/**
 * How the collector runs (npm run collector, npm start, the tests, the image). V8 sizes its heap
 * for throughput, not for a DaemonSet's budget: catching up a backlog, the defaults let the heap
 * reach 125 MiB around 20 MiB of live objects. A 4 MiB young generation and an old generation
 * capped at 96 MiB (four times the collector's largest live set measured) keep RSS at 90-110 MiB
 * catching up and under 80 MiB following a node; 1 MiB saves a little memory and costs 8% of
 * throughput. The mmap threshold stops glibc from raising it after the first large buffer is
 * freed, which otherwise left tens of MiB of freed buffers in its brk heap. Measured with
 * bench/collector.ts --backlog and --soak.
 */
export const COLLECTOR_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=96'];
export const COLLECTOR_ENV = { MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '65536' };

export function buildCollector() {
  buildSync({
    entryPoints: [path.join(ROOT, 'collector', 'main.ts')],
    outfile: COLLECTOR_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // ws tries these optional native add-ons and falls back to JavaScript without them.
    external: ['bufferutil', 'utf-8-validate'],
    // Bundled CommonJS packages call require(); an ES module has none of its own.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // Whitespace and syntax only: names stay, so a stack trace still reads (source maps would cost 20 MiB).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return COLLECTOR_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) buildCollector();
