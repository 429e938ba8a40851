// One real server per Playwright worker, each on a temp data dir of its own with the demo writer
// off: every spec seeds its own lines through POST /api/ingest, with markers no other spec uses,
// and what one worker's specs do to their server (the header's counts, its newest line, a file set
// aside) cannot race the other's.
import type { FullConfig } from '@playwright/test';
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

export default async function globalSetup(config: FullConfig) {
  const started = await Promise.all(
    Array.from({ length: Math.max(1, config.workers) }, async () => {
      const { dir, cleanup } = await tempDir('logpond-e2e-');
      const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
      return { server, cleanup };
    }),
  );
  // Workers inherit it; each takes the server of its slot (seed.ts serverUrl).
  process.env.LOGPOND_E2E_URLS = started.map(({ server }) => server.url).join(' ');
  return async () => {
    await Promise.all(started.map(async ({ server, cleanup }) => {
      await server.stop();
      await cleanup();
    }));
  };
}
