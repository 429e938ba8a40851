// `npm run server`: Logpond's HTTP server. It is Next.js behind a plain node:http server so every
// request can be stamped with the caller's socket address (see server/http/peer.ts) and so one
// place closes the store cleanly on SIGINT/SIGTERM.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { loadAuthConfig } from '../server/auth/auth-config';
import { loadServerConfig } from '../server/config';
import { ConfigError } from '../server/errors';
import { isLoopback, PEER_HEADER } from '../server/http/peer';

// Whatever reads the server's output can go away: `npm run server | head`, a crashed log shipper
// at the other end of a pipe. Its lines are then lost, not its requests. Unhandled, the EPIPE of
// the next write reached Next.js's uncaughtException logger, which wrote to the same stream: a
// loop that held a core and never let the SIGTERM handler run.
for (const output of [process.stdout, process.stderr]) output.on('error', () => undefined);

const here = path.dirname(fileURLToPath(import.meta.url));
// From the repository this file is scripts/server.ts; in the image it is bundled into the root of
// .next/standalone as logpond-server.mjs (scripts/build-standalone.mjs), beside its .next.
const standalone = fs.existsSync(path.join(here, '.next', 'required-server-files.json'));
const root = standalone ? here : path.resolve(here, '..');
const dev = process.argv.includes('--dev');

async function main(): Promise<void> {
  let config;
  try {
    config = loadServerConfig();
    const auth = loadAuthConfig(); // a bad LOGPOND_AUTH_* value stops the boot, not the first request
    if (auth.open && !auth.openOnPurpose && config.host !== 'localhost' && !isLoopback(config.host)) {
      // Beyond loopback, an unset or mistyped LOGPOND_AUTH_USERS must not mean "open to all".
      throw new ConfigError(
        'LOGPOND_AUTH_USERS',
        `listening on ${config.host} with no sign-in: set LOGPOND_AUTH_USERS or LOGPOND_AUTH_PROXY_HEADER, or LOGPOND_AUTH=none to serve logs to anyone who can reach it`,
      );
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`logpond: bad configuration: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  if (!dev && !fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.error('logpond: no production build here: run `npm run build` first (`npm start` builds for you)');
    process.exit(1);
  }
  const nonce = randomBytes(16).toString('hex');
  (globalThis as Record<symbol, unknown>)[Symbol.for('logpond.peerNonce')] = nonce;

  if (!dev) {
    // Serve with the config the build resolved, as Next's own standalone server.js does: the
    // image has no next.config.mjs, and from the repository this also spares every start Next's
    // warning that `next start` does not suit `output: standalone` (this server is not next start).
    const { config: nextConfig } = JSON.parse(fs.readFileSync(path.join(root, '.next', 'required-server-files.json'), 'utf8'));
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(nextConfig);
  }
  if (standalone) process.chdir(root);
  const app = next({ dev, dir: root, hostname: config.host, port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  // Node refuses request heads over 16 KiB with a bare 431; a pasted query can be longer than
  // that, and the read routes answer an over-long `q` with a 400 that says what is wrong.
  const server = http.createServer({ maxHeaderSize: 2 * 1024 * 1024 }, (req, res) => {
    req.headers[PEER_HEADER] = `${nonce} ${req.socket.remoteAddress ?? ''}`;
    void handle(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, so they close first
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  console.error(`logpond: server listening on http://${config.host}:${config.port} (data in ${config.dataDir})`);
  if (!config.ingestToken && config.host !== 'localhost' && !isLoopback(config.host)) {
    // A proxy or sidecar on this host would make every remote caller look local.
    console.error('logpond: warning: LOGPOND_INGEST_TOKEN is unset while listening beyond loopback; set it in a cluster');
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`logpond: ${signal}: closing the server and the store`);
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
    const runtime = (globalThis as Record<symbol, Promise<{ close(): Promise<void> }> | undefined>)[
      Symbol.for('logpond.runtime')
    ];
    await runtime?.then((r) => r.close()).catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Started by a test or a bench (server/testing/server-process.ts), stdin is a pipe from that
  // process, which closes however it ends, SIGKILL included: a server left behind goes on settling
  // what it was sent, holding a core under whatever runs next.
  if (process.argv.includes('--exit-with-parent')) {
    process.stdin.on('end', () => void stop('the process that started it is gone'));
    process.stdin.on('error', () => void stop('the process that started it is gone'));
    process.stdin.resume();
  }
}

main().catch((err) => {
  console.error('logpond: the server failed to start:', err);
  process.exit(1);
});
