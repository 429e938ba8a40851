// The ClickHouse client for LOGPOND_CLICKHOUSE_URL: the official @clickhouse/client over HTTP(S),
// or over chDB — ClickHouse embedded in this process — for `chdb:<dir>`. chDB is about 550 MB, so
// it is not a dependency: it is loaded by a name the bundler cannot follow, and installed on
// demand (`npm install --no-save chdb@…`, which `npm test` runs when it is missing).
import path from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../../config';
import { ConfigError } from '../../errors';

/** The chDB release the tests and the embedded demo run (ClickHouse 26.7). */
export const CHDB_PACKAGE = 'chdb@3.4.0';

/** A client and how to let go of it: a chDB session is shared by every client of its directory. */
export interface ClickHouseConnection {
  client: ClickHouseClient;
  /** `ClickHouse <version>` or `chDB <version>`, as /api/status names the engine. */
  engine: 'clickhouse' | 'chdb';
  /** chDB's own insert of text rows, which hands the bytes to the engine as they are (RawInsert). */
  rawInsert?: RawInsert;
  release(): Promise<void>;
}

/**
 * An insert of rows already in a ClickHouse text format. The client's insert turns a chDB body
 * into a JavaScript string and back into bytes on the event loop's thread; chDB's own takes the
 * Buffer as it is and parses it on the engine's threads.
 */
export type RawInsert = (params: { table: string; columns: readonly string[]; values: Buffer; format: 'TabSeparated'; settings?: Record<string, string | number> }) => Promise<unknown>;

export async function connectClickHouse(config: ClickHouseConfig): Promise<ClickHouseConnection> {
  if (config.url.startsWith('chdb:')) return embedded(config.url.slice('chdb:'.length));
  const client = createClient({
    url: config.url,
    username: config.username ?? 'default',
    password: config.password ?? '',
    // The database may not exist yet (migrations create it): statements name it instead.
    application: 'logpond',
    clickhouse_settings: { date_time_output_format: 'iso', output_format_json_quote_64bit_integers: 1 },
  });
  return { client, engine: 'clickhouse', release: () => client.close() };
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

interface ChdbModule {
  createChdbConnection(options: { path: string }): ClientConnection & { chdb: { rawInsert: RawInsert } };
}

/** chDB allows one data directory per process: every storage over it shares one session. */
const sessions = new Map<string, { client: ClickHouseClient; rawInsert: RawInsert; users: number }>();

async function embedded(dir: string): Promise<ClickHouseConnection> {
  let session = sessions.get(dir);
  if (!session) {
    const chdb = loadChdb();
    const [other] = sessions.keys();
    if (other !== undefined) throw new ConfigError('LOGPOND_CLICKHOUSE_URL', `chDB runs one directory per process; ${other} is open already`);
    const connection = chdb.createChdbConnection({ path: dir });
    const rawInsert: RawInsert = (params) => connection.chdb.rawInsert(params).catch((err: unknown) => Promise.reject(withEngineCode(err)));
    session = { client: createClient({ connection }), rawInsert, users: 0 };
    sessions.set(dir, session);
  }
  session.users++;
  const opened = session;
  let released = false;
  return {
    client: opened.client,
    engine: 'chdb',
    rawInsert: opened.rawInsert,
    async release() {
      if (released) return;
      released = true;
      if (--opened.users > 0) return;
      sessions.delete(dir);
      await opened.client.close();
    },
  };
}

/**
 * chDB's own insert fails with its own error code (CHDB_INSERT) and ClickHouse's in the message;
 * the client's errors carry ClickHouse's, which engine-errors.ts answers by (TOO_MANY_PARTS is a
 * 503 the collector retries).
 */
function withEngineCode(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const code = /\bCode: (\d+)\./.exec(err.message)?.[1];
  if (code === undefined) return err;
  return Object.assign(new Error(err.message.replace(/^ChdbInsertError: /, ''), { cause: err }), { code });
}

function loadChdb(): ChdbModule {
  // Resolved from the working directory (the checkout, or the image's /app) at run time, through a
  // require the bundler cannot see: it would otherwise replace the call or trace chDB into the image.
  const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
  const load = createRequire(path.join(process.cwd(), 'package.json'));
  try {
    return load(['chdb', 'connection'].join('/')) as ChdbModule;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
    throw new ConfigError('LOGPOND_CLICKHOUSE_URL', `chdb: needs the chDB package, which is not installed: run npm install --no-save ${CHDB_PACKAGE}`);
  }
}
