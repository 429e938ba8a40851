// Every LOGPOND_* variable the server reads is parsed here, once, with a working default; a bad
// value stops the boot with the variable's name rather than surfacing later as a odd failure.
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors';
import { parseDuration, parseSize } from '../common/units';

/** The engines Logpond can store logs in (LOGPOND_STORE); the first is the default. */
export const STORE_ENGINES = ['duckdb', 'clickhouse'] as const;
export type StoreEngine = (typeof STORE_ENGINES)[number];

export interface ServerConfig {
  port: number;
  /** Which engine stores the logs (store/open-storage.ts). */
  store: StoreEngine;
  host: string;
  dataDir: string;
  /** Unset: only loopback callers may ingest. */
  ingestToken: string | undefined;
  /** Entries older than this are dropped; null keeps everything. */
  retentionMs: number | null;
  /** Oldest data is dropped while the store is bigger than this; null means no limit. */
  maxDiskBytes: number | null;
  queryTimeoutMs: number;
  /** Largest ingest body, after decompression. */
  maxBatchBytes: number;
  /** Longest line a shipper's request (OTLP, Loki push) may hold; the collector cuts its own lines. */
  maxLineBytes: number;
  /** DuckDB's memory limit, e.g. `1GB`. */
  memoryLimit: string;
  /** Threads that decode ingest bodies beside the one that appends them; 0 decodes inline. */
  ingestWorkers: number;
  /** Reads that run at once; more wait in the read queue. */
  readConcurrency: number;
  /** Reads that may wait for a turn; more are answered 503 with Retry-After. */
  readQueue: number;
  /** Where ClickHouse is, when `store` is `clickhouse` (store/clickhouse/connect.ts). */
  clickhouse: ClickHouseConfig | null;
}

export interface ClickHouseConfig {
  /** An `http(s)://host:port` server, or `chdb:<dir>` for the engine embedded in this process. */
  url: string;
  database: string;
  username: string | undefined;
  password: string | undefined;
  /** LOGPOND_CLICKHOUSE_CLUSTER: tables created ON CLUSTER, replicated, behind a Distributed table. */
  cluster: string | undefined;
}

export const SERVER_DEFAULTS = {
  PORT: '3000',
  LOGPOND_HOST: '127.0.0.1',
  LOGPOND_STORE: STORE_ENGINES[0],
  LOGPOND_DATA_DIR: './data',
  LOGPOND_RETENTION: '7d',
  LOGPOND_MAX_DISK: '10GiB',
  LOGPOND_QUERY_TIMEOUT: '10s',
  LOGPOND_MAX_BATCH: '32MiB',
  LOGPOND_MAX_LINE: '256KiB',
  LOGPOND_MEMORY_LIMIT: '1GiB',
  // Handing a decoded batch between threads costs about what decoding it on the appending thread
  // does, so workers pay off only where cores are spare: none on two cores (measured), up to four.
  LOGPOND_INGEST_WORKERS: String(Math.min(4, Math.max(0, os.availableParallelism() - 2))),
  // The DuckDB binding runs statements on libuv's pool (4 threads by default), where ingest's own
  // statements queue behind reads: three reads at once leave ingest its share. While reads queue,
  // each runs one DuckDB thread (store/duckdb/thread-budget.ts), and the third keeps the cores busy while
  // the others' answers are turned into JSON on the main thread.
  LOGPOND_READ_CONCURRENCY: '3',
  LOGPOND_READ_QUEUE: '64',
} as const;

type Env = Record<string, string | undefined>;

export function loadServerConfig(env: Env = process.env): ServerConfig {
  const read = (name: keyof typeof SERVER_DEFAULTS) => {
    const value = env[name]?.trim();
    return value ? value : SERVER_DEFAULTS[name];
  };
  const port = Number(read('PORT'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `expected a port number, got "${env.PORT}"`);
  }
  return {
    port,
    host: read('LOGPOND_HOST'),
    store: engineOf(read('LOGPOND_STORE')),
    dataDir: path.resolve(read('LOGPOND_DATA_DIR')),
    ingestToken: env.LOGPOND_INGEST_TOKEN?.trim() || undefined,
    retentionMs: optional('LOGPOND_RETENTION', read('LOGPOND_RETENTION'), durationOf),
    maxDiskBytes: optional('LOGPOND_MAX_DISK', read('LOGPOND_MAX_DISK'), sizeOf),
    queryTimeoutMs: durationOf('LOGPOND_QUERY_TIMEOUT', read('LOGPOND_QUERY_TIMEOUT')),
    maxBatchBytes: sizeOf('LOGPOND_MAX_BATCH', read('LOGPOND_MAX_BATCH')),
    maxLineBytes: sizeOf('LOGPOND_MAX_LINE', read('LOGPOND_MAX_LINE')),
    // DuckDB takes a plain byte count; by default it would claim 80% of the machine's memory.
    memoryLimit: `${sizeOf('LOGPOND_MEMORY_LIMIT', read('LOGPOND_MEMORY_LIMIT'))}B`,
    ingestWorkers: countOf('LOGPOND_INGEST_WORKERS', read('LOGPOND_INGEST_WORKERS')),
    readConcurrency: positive('LOGPOND_READ_CONCURRENCY', countOf('LOGPOND_READ_CONCURRENCY', read('LOGPOND_READ_CONCURRENCY'))),
    readQueue: countOf('LOGPOND_READ_QUEUE', read('LOGPOND_READ_QUEUE'), 10_000),
    clickhouse: clickhouseOf(env),
  };
}

/**
 * LOGPOND_CLICKHOUSE_URL names the server and the database (`https://user:pass@host:8443/logs`);
 * user and password may come instead from LOGPOND_CLICKHOUSE_USER and _PASSWORD (a Secret), which
 * win over the URL's. Read whatever the engine, so a typo fails the start, not the first switch.
 */
function clickhouseOf(env: Env): ClickHouseConfig | null {
  const text = env.LOGPOND_CLICKHOUSE_URL?.trim();
  const cluster = env.LOGPOND_CLICKHOUSE_CLUSTER?.trim() || undefined;
  if (cluster !== undefined && !IDENTIFIER.test(cluster)) {
    throw new ConfigError('LOGPOND_CLICKHOUSE_CLUSTER', `expected a cluster name of letters, digits and _; got "${cluster}"`);
  }
  if (!text) {
    if (engineOf(env.LOGPOND_STORE?.trim() || SERVER_DEFAULTS.LOGPOND_STORE) === 'clickhouse') {
      throw new ConfigError('LOGPOND_CLICKHOUSE_URL', 'LOGPOND_STORE=clickhouse needs the server, e.g. https://user:pass@host:8443/logs, or chdb:./data/clickhouse to embed one');
    }
    return null;
  }
  const user = env.LOGPOND_CLICKHOUSE_USER?.trim() || undefined;
  const password = env.LOGPOND_CLICKHOUSE_PASSWORD || undefined;
  if (text.startsWith('chdb:')) {
    const dir = text.slice('chdb:'.length);
    if (!dir) throw new ConfigError('LOGPOND_CLICKHOUSE_URL', 'chdb: needs a directory, e.g. chdb:./data/clickhouse');
    return { url: `chdb:${path.resolve(dir)}`, database: 'logpond', username: user, password, cluster };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('LOGPOND_CLICKHOUSE_URL', 'expected http(s)://[user:password@]host:port/database or chdb:<dir>');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('LOGPOND_CLICKHOUSE_URL', `expected http:, https: or chdb:, got "${url.protocol}"`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, '')) || 'logpond';
  if (!IDENTIFIER.test(database)) {
    throw new ConfigError('LOGPOND_CLICKHOUSE_URL', `expected a database name of letters, digits and _ as the path; got "${database}"`);
  }
  const username = user ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const secret = password ?? (url.password ? decodeURIComponent(url.password) : undefined);
  url.username = '';
  url.password = '';
  url.pathname = '';
  return { url: url.toString().replace(/\/$/, ''), database, username, password: secret, cluster };
}

/** Database and cluster names reach DDL as identifiers, which cannot be bound: only these. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function engineOf(text: string): StoreEngine {
  const engine = STORE_ENGINES.find((e) => e === text.toLowerCase());
  if (!engine) throw new ConfigError('LOGPOND_STORE', `expected one of ${STORE_ENGINES.join(', ')}; got "${text}"`);
  return engine;
}

/** `off`, `none` and `0` disable a limit. */
function optional(name: string, text: string, parse: (name: string, text: string) => number) {
  return /^(off|none|0)$/i.test(text) ? null : parse(name, text);
}

function countOf(name: string, text: string, max = 64): number {
  if (!/^\d+$/.test(text) || Number(text) > max) throw new ConfigError(name, `expected a whole number up to ${max}, got "${text}"`);
  return Number(text);
}

function positive(name: string, count: number): number {
  if (count < 1) throw new ConfigError(name, `expected at least 1, got "${count}"`);
  return count;
}

function durationOf(name: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) {
    throw new ConfigError(name, `expected a duration such as 90s, 15m, 7d; got "${text}"`);
  }
  return ms;
}

function sizeOf(name: string, text: string): number {
  const bytes = parseSize(text);
  if (bytes === undefined || bytes <= 0) {
    throw new ConfigError(name, `expected a size such as 512MiB or 20GiB; got "${text}"`);
  }
  return bytes;
}
