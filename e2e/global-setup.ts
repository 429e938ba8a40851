// One real server for the browser tests, on a temp data dir with the demo writer off: every spec
// seeds its own lines through POST /api/ingest, with markers no other spec uses.
import { startServer } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

export default async function globalSetup() {
  const { dir, cleanup } = await tempDir('logpond-e2e-');
  const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
  process.env.LOGPOND_E2E_URL = server.url;
  return async () => {
    await server.stop();
    await cleanup();
  };
}
