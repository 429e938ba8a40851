import { afterAll, beforeAll } from 'vitest';
import { chdbDir, openTestStorage } from '../../testing/storage';
import { describeStorageConformance } from '../storage-conformance';
import { type ClickHouseHttp, serveClickHouse } from './chdb-http-server';
import { ClickHouseStorage } from './clickhouse-storage';

describeStorageConformance('ClickHouse (chDB in process)', (dir, now) => openTestStorage('clickhouse', dir, { now }));

// The production path: @clickhouse/client over HTTP to a ClickHouse server on loopback.
let server: ClickHouseHttp;
beforeAll(async () => {
  server = await serveClickHouse(chdbDir());
});
afterAll(() => server.close());

describeStorageConformance('ClickHouse over HTTP', (_dir, now) =>
  ClickHouseStorage.open({
    clickhouse: { url: server.url, database: 'over_http', username: 'default', password: undefined, cluster: undefined },
    retentionMs: null,
    queryTimeoutMs: 10_000,
    now,
  }),
);
