// A ClickHouse server on 127.0.0.1 for tests and benches (never the product's path): ClickHouse's HTTP interface, as
// @clickhouse/client speaks it, answered by chDB (ClickHouse 26.7 in this process). Logpond servers
// in other processes then reach one real engine over real HTTP — two servers on one database, a
// server whose ClickHouse goes away and comes back — with no ClickHouse binary to install.
//
// Only what the client sends: POST with the statement in the body (or `query=` with the rows in
// the body, for inserts), settings and `param_*` values in the URL, `GET /ping`. Bound values are
// handed to the engine as `CAST('<text>' AS <type>)`, the text format the client sent them in, so
// they are typed by the engine exactly as a server types a `{name:Type}` parameter.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHDB_PACKAGE } from './connect';

/** URL parameters that are the protocol's, not settings. */
const PROTOCOL = new Set(['query', 'query_id', 'database', 'session_id', 'default_format', 'enable_http_compression', 'user', 'password', 'role']);

interface ChdbConnection {
  exec(params: { query: string; clickhouse_settings?: Record<string, string>; values?: string }): Promise<{ stream: AsyncIterable<Buffer> }>;
  close(): Promise<void>;
}

export interface ClickHouseHttp {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops answering: the port refuses connections until start() (same port). */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function serveClickHouse(dir: string, port = 0): Promise<ClickHouseHttp> {
  const { createRequire } = await import('node:module');
  const load = createRequire(import.meta.url);
  let chdb: { createChdbConnection(options: { path: string }): ChdbConnection };
  try {
    chdb = load(['chdb', 'connection'].join('/'));
  } catch {
    throw new Error(`chDB is not installed: npm install --no-save ${CHDB_PACKAGE} (npm test does)`);
  }
  const connection = chdb.createChdbConnection({ path: dir });
  let server: http.Server | null = null;
  let boundPort = port;

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/ping') return void response.end('Ok.\n');
    const body = await readAll(request);
    const params = url.searchParams;
    const statement = params.get('query');
    const settings: Record<string, string> = {};
    const bound = new Map<string, string>();
    for (const [key, value] of params) {
      if (key.startsWith('param_')) bound.set(key.slice('param_'.length), value);
      else if (!PROTOCOL.has(key)) settings[key] = value;
    }
    const query = bind(statement ?? body, bound);
    try {
      const result = await connection.exec({ query, clickhouse_settings: settings, ...(statement !== null ? { values: body } : {}) });
      const chunks: Buffer[] = [];
      for await (const chunk of result.stream) chunks.push(Buffer.from(chunk));
      response.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Summary': '{}' });
      response.end(Buffer.concat(chunks));
    } catch (err) {
      const raw = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
      const code = /Code: (\d+)/.exec(raw)?.[1] ?? String((err as { code?: string }).code ?? '1001');
      const text = raw.startsWith('Code:') ? raw : `Code: ${code}. DB::Exception: ${raw}. (UNKNOWN_EXCEPTION)`;
      response.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': code });
      response.end(`${text} (version 26.7.2.1)\n`);
    }
  };

  const start = () =>
    new Promise<void>((resolve, reject) => {
      const listening = http.createServer((request, response) => {
        handle(request, response).catch((err) => {
          response.writeHead(500);
          response.end(String(err));
        });
      });
      listening.keepAliveTimeout = 1_000;
      listening.once('error', reject);
      listening.listen(boundPort, '127.0.0.1', () => {
        boundPort = (listening.address() as AddressInfo).port;
        server = listening;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      const running = server;
      server = null;
      if (!running) return resolve();
      running.close(() => resolve());
      running.closeAllConnections();
    });

  await start();
  return {
    get url() {
      return `http://127.0.0.1:${boundPort}`;
    },
    get port() {
      return boundPort;
    },
    start,
    stop,
    async close() {
      await stop();
      await connection.close();
    },
  };
}

/** `{name:Type}` placeholders replaced by the value the client sent, cast to the type. */
function bind(query: string, values: Map<string, string>): string {
  return query.replace(/\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g, (placeholder, name: string, type: string) => {
    const value = values.get(name);
    if (value === undefined) return placeholder;
    // The client sends a top-level string with its own escapes, anything else in the text format.
    const text = (/^(LowCardinality\(|Nullable\()*String\)*$/.test(type) ? decodeTextFormat(value) : value).replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    return `CAST('${text}' AS ${type})`;
  });
}

/** The client escapes tab, newline, carriage return, quote and backslash in a top-level string. */
function decodeTextFormat(value: string): string {
  return value.replace(/\\([tnr'\\])/g, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', "'": "'", '\\': '\\' })[c]!);
}

function readAll(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
