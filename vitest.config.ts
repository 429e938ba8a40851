import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const ALL = '{server,collector,common,app,components,scripts,bench,deployment}/**/*.test.ts';
// Files that assert a latency a user is promised, and must not share the cores while they do.
const ALONE = ['collector/collector-latency.test.ts'];

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Most files wait on real servers, processes and timers for part of their time, so two at
    // once keep both cores busy; the ones in ALONE run first, one at a time.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'alone', include: ALONE, fileParallelism: false, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'paired', include: [ALL], exclude: ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
