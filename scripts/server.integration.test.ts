// `npm run server` as a process: what it does when the world around it changes.
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../server/testing/server-process';
import { tempDir } from '../server/testing/temp-dir';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function exitWithin(server: ServerProcess, ms: number): Promise<string> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return `exit ${child.exitCode}`;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`still running ${ms} ms after the signal`), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(`exit ${code}`);
    });
  });
}

describe('the server process', () => {
  it('keeps serving, and stops on SIGTERM, after whatever read its output has gone', async () => {
    const { dir, cleanup } = await tempDir();
    const server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    cleanups.push(async () => {
      await server.kill();
      await cleanup();
    });
    // `npm run server | head`, or a log shipper on the other end of a pipe that crashed.
    server.child.stdout!.destroy();
    server.child.stderr!.destroy();

    // A request that makes the server log a line.
    const response = await fetch(`${server.url}/api/search?q=${encodeURIComponent('level:(')}`);
    expect(response.status).toBe(400);
    expect((await fetch(`${server.url}/api/healthz`)).status).toBe(200);

    // Stopping writes a line too: the signal must still end it, and cleanly.
    server.child.kill('SIGTERM');
    expect(await exitWithin(server, 10_000)).toBe('exit 0');
  });
});
