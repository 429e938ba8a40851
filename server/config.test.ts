import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config';

describe('loadServerConfig', () => {
  it('has a working default for every knob', () => {
    const config = loadServerConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      store: 'duckdb',
      dataDir: path.resolve('data'),
      ingestToken: undefined,
      retentionMs: 7 * 86_400_000,
      maxDiskBytes: 10 * 1024 ** 3,
      queryTimeoutMs: 10_000,
      readConcurrency: 3,
      readQueue: 64,
    });
  });

  it('reads the read limits', () => {
    expect(loadServerConfig({ LOGPOND_READ_CONCURRENCY: '3', LOGPOND_READ_QUEUE: '0' })).toMatchObject({ readConcurrency: 3, readQueue: 0 });
  });

  it('reads the engine by name, in any case', () => {
    expect(loadServerConfig({ LOGPOND_STORE: 'DuckDB' }).store).toBe('duckdb');
  });

  it('reads where ClickHouse is: the URL names server and database, a Secret’s variables win for the credentials', () => {
    const config = loadServerConfig({ LOGPOND_STORE: 'clickhouse', LOGPOND_CLICKHOUSE_URL: 'https://ana:s%40cret@ch.example:8443/logs' });
    expect(config.clickhouse).toEqual({ url: 'https://ch.example:8443', database: 'logs', username: 'ana', password: 's@cret', cluster: undefined });
    const fromSecret = loadServerConfig({
      LOGPOND_CLICKHOUSE_URL: 'http://ana:old@ch:8123',
      LOGPOND_CLICKHOUSE_USER: 'logpond',
      LOGPOND_CLICKHOUSE_PASSWORD: 'new',
      LOGPOND_CLICKHOUSE_CLUSTER: 'prod',
    }).clickhouse;
    expect(fromSecret).toEqual({ url: 'http://ch:8123', database: 'logpond', username: 'logpond', password: 'new', cluster: 'prod' });
    expect(loadServerConfig({ LOGPOND_CLICKHOUSE_URL: 'chdb:./data/ch' }).clickhouse?.url).toBe(`chdb:${process.cwd()}/data/ch`);
    expect(loadServerConfig({}).clickhouse).toBeNull();
  });

  it.each([
    [{ LOGPOND_STORE: 'clickhouse' }, 'LOGPOND_CLICKHOUSE_URL: LOGPOND_STORE=clickhouse needs the server'],
    [{ LOGPOND_CLICKHOUSE_URL: 'ftp://ch:21/logs' }, 'LOGPOND_CLICKHOUSE_URL: expected http:, https: or chdb:, got "ftp:"'],
    [{ LOGPOND_CLICKHOUSE_URL: 'http://ch:8123/logs;DROP' }, 'LOGPOND_CLICKHOUSE_URL: expected a database name of letters, digits and _ as the path; got "logs;DROP"'],
    [{ LOGPOND_CLICKHOUSE_URL: 'not a url' }, 'LOGPOND_CLICKHOUSE_URL: expected http(s)://[user:password@]host:port/database or chdb:<dir>'],
    [{ LOGPOND_CLICKHOUSE_URL: 'chdb:' }, 'LOGPOND_CLICKHOUSE_URL: chdb: needs a directory'],
    [{ LOGPOND_CLICKHOUSE_CLUSTER: 'a b' }, 'LOGPOND_CLICKHOUSE_CLUSTER: expected a cluster name of letters, digits and _; got "a b"'],
  ])('refuses a bad ClickHouse setting, naming it: %o', (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(message);
  });

  it('reads units and turns limits off', () => {
    const config = loadServerConfig({ LOGPOND_RETENTION: '36h', LOGPOND_MAX_DISK: 'off', LOGPOND_MAX_BATCH: '4MiB' });
    expect(config.retentionMs).toBe(36 * 3_600_000);
    expect(config.maxDiskBytes).toBeNull();
    expect(config.maxBatchBytes).toBe(4 * 1024 ** 2);
  });

  it.each([
    ['PORT', 'eighty', 'PORT: expected a port number, got "eighty"'],
    ['LOGPOND_RETENTION', 'a week', 'LOGPOND_RETENTION: expected a duration such as 90s, 15m, 7d; got "a week"'],
    ['LOGPOND_MAX_DISK', '20 gallons', 'LOGPOND_MAX_DISK: expected a size such as 512MiB or 20GiB; got "20 gallons"'],
    ['LOGPOND_READ_CONCURRENCY', '0', 'LOGPOND_READ_CONCURRENCY: expected at least 1, got "0"'],
    ['LOGPOND_READ_CONCURRENCY', 'two', 'LOGPOND_READ_CONCURRENCY: expected a whole number up to 64, got "two"'],
    ['LOGPOND_STORE', 'postgres', 'LOGPOND_STORE: expected one of duckdb, clickhouse; got "postgres"'],
    ['LOGPOND_READ_QUEUE', '-1', 'LOGPOND_READ_QUEUE: expected a whole number up to 10000, got "-1"'],
  ])('refuses a bad %s, naming it', (name, value, message) => {
    expect(() => loadServerConfig({ [name]: value })).toThrow(message);
  });
});
