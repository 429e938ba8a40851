// Starts the real Logpond server (scripts/server.ts over the production build) on a free
// loopback port, for integration tests and benches.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildIsStale } from '../../scripts/build-if-needed';
import { SERVER_NODE_FLAGS, serverEnv } from '../../scripts/node-flags';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit. */
  stop: () => Promise<void>;
  /** SIGKILL and wait for the exit: a crash. */
  kill: () => Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startServer(env: Record<string, string>, options: { waitHealthy?: boolean } = {}): Promise<ServerProcess> {
  if (!fs.existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    throw new Error('no production build: run `npm run build` first (`npm test` does it for you)');
  }
  // A stale build runs yesterday's server code against today's tests: refuse it.
  if (buildIsStale()) throw new Error('the production build is older than the sources: run `npm run build` (`npm test` does it for you)');
  const port = await freePort();
  const nodeArgs = process.env.LOGPOND_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? SERVER_NODE_FLAGS;
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'scripts', 'server.ts'), '--exit-with-parent'], {
    cwd: ROOT,
    env: { ...process.env, ...serverEnv(), NEXT_TELEMETRY_DISABLED: '1', PORT: String(port), LOGPOND_HOST: '127.0.0.1', ...env },
    // stdin: a pipe that closes when this process ends, however it ends (--exit-with-parent).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  // A bench or test that dies (an uncaught error, process.exit) takes its server with it: left
  // running, a server goes on settling what it was sent, and every figure measured after is skewed.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.removeListener('exit', killOnExit);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output}`);
    const answered = await fetch(`${url}/api/healthz`).then((r) => (options.waitHealthy === false ? true : r.ok), () => false);
    if (answered) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become healthy in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
