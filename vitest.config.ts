import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': fileURLToPath(new URL('.', import.meta.url)) } },
  test: {
    include: ['{server,collector,common,app,components,scripts,bench,deployment}/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB and the servers under test use both cores already; parallel files only fight.
    fileParallelism: false,
    // One worker process for every file rather than a fresh one each: starting a process and its
    // imports anew per file was a sixth of the suite's time. Files share module state, so a test
    // that changes a global (a spy, an env variable) puts it back.
    isolate: false,
  },
});
