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
    // One module graph for every file, not one per file: importing DuckDB, the store and the
    // routes again for each of a hundred files cost about a minute of the suite. Tests keep
    // their state in what they create (temp dirs, stores, servers), not in modules.
    isolate: false,
  },
});
