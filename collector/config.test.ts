import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSize } from '../common/units';
import { loadCollectorConfig, type Env } from './config';
import { ConfigError } from './errors';
import { makeTempDir } from './test-support/temp-dir';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let withLogs: string;
let empty: string;

beforeAll(async () => {
  temp = await makeTempDir();
  withLogs = path.join(temp.dir, 'containers');
  empty = path.join(temp.dir, 'empty');
  await fs.mkdir(withLogs);
  await fs.mkdir(empty);
  await fs.writeFile(path.join(withLogs, 'a_b_c-1.log'), '');
});
afterAll(() => temp.remove());

describe('loadCollectorConfig', () => {
  it('defaults to demo mode under ./data with the local server', () => {
    const config = loadCollectorConfig({});
    expect(config).toMatchObject({
      mode: 'demo',
      dataDir: path.resolve('data'),
      logDir: path.resolve('data/demo-logs'),
      serverUrl: 'http://127.0.0.1:3000',
      ingestUrl: 'http://127.0.0.1:3000/api/ingest',
      ingestToken: undefined,
      nodeName: os.hostname(),
      checkpointPath: path.resolve('data/collector-checkpoint.json'),
      maxLineBytes: 256 * 1024,
      multiline: true,
      excludeNamespaces: [],
      podGraceMs: 300_000,
      collectorPort: 3001,
      collectorHost: '0.0.0.0',
    });
  });

  it('tails LOGPOND_LOG_DIR when it has log files', () => {
    const config = loadCollectorConfig({
      LOGPOND_LOG_DIR: withLogs,
      LOGPOND_DATA_DIR: temp.dir,
      PORT: '4000',
      LOGPOND_INGEST_TOKEN: 'secret',
      LOGPOND_NODE_NAME: 'node-7',
      LOGPOND_MAX_LINE: '1MiB',
      LOGPOND_COLLECTOR_PORT: '0',
      LOGPOND_MULTILINE: '0',
      LOGPOND_EXCLUDE_NAMESPACES: 'kube-system, monitoring,kube-system',
      LOGPOND_POD_GRACE: '90s',
    });
    expect(config).toMatchObject({
      mode: 'files',
      logDir: withLogs,
      serverUrl: 'http://127.0.0.1:4000',
      ingestToken: 'secret',
      nodeName: 'node-7',
      checkpointPath: path.join(temp.dir, 'collector-checkpoint.json'),
      maxLineBytes: 1024 * 1024,
      multiline: false,
      excludeNamespaces: ['kube-system', 'monitoring'],
      podGraceMs: 90_000,
      collectorPort: 0,
    });
  });

  it.each([
    ['an empty directory', () => empty],
    ['a missing directory', () => path.join(temp.dir, 'missing')],
  ])('falls back to demo mode for %s while demo is on', (_what, dir) => {
    expect(loadCollectorConfig({ LOGPOND_LOG_DIR: dir() }).mode).toBe('demo');
    expect(loadCollectorConfig({ LOGPOND_LOG_DIR: dir(), LOGPOND_DEMO: '0' }).mode).toBe('files');
  });

  it('tails the kubelet directory when demo is off and LOGPOND_LOG_DIR is unset', () => {
    expect(loadCollectorConfig({ LOGPOND_DEMO: '0' })).toMatchObject({ mode: 'files', logDir: '/var/log/containers' });
  });

  it('reads sizes in bytes, KiB and MiB', () => {
    expect([parseSize('65536'), parseSize('256KiB'), parseSize('1MiB'), parseSize('2 kb'), parseSize('1x')]).toEqual([
      65536,
      262144,
      1048576,
      2000,
      undefined,
    ]);
  });

  it.each<[Env, string]>([
    [{ LOGPOND_DEMO: 'maybe' }, 'LOGPOND_DEMO: expected 0 or 1, got "maybe"'],
    [{ LOGPOND_MAX_LINE: 'big' }, 'LOGPOND_MAX_LINE: expected a size such as 256KiB or 1MiB, got "big"'],
    [{ LOGPOND_MAX_LINE: '10' }, 'LOGPOND_MAX_LINE: must be between 1KiB and 16MiB, got "10"'],
    [{ LOGPOND_SERVER_URL: 'ftp://x' }, 'LOGPOND_SERVER_URL: expected an http(s) URL, got "ftp://x"'],
    [{ LOGPOND_SERVER_URL: 'nonsense' }, 'LOGPOND_SERVER_URL: expected an http(s) URL, got "nonsense"'],
    [{ PORT: '0' }, 'PORT: expected a port number, got "0"'],
    [{ LOGPOND_COLLECTOR_PORT: '70000' }, 'LOGPOND_COLLECTOR_PORT: expected a port number (0 = off), got "70000"'],
    [{ LOGPOND_NODE_NAME: 'n'.repeat(300) }, 'LOGPOND_NODE_NAME: must be at most 253 characters'],
    [{ LOGPOND_MULTILINE: 'sometimes' }, 'LOGPOND_MULTILINE: expected 0 or 1, got "sometimes"'],
    [
      { LOGPOND_EXCLUDE_NAMESPACES: 'ok,Not_A_Namespace' },
      'LOGPOND_EXCLUDE_NAMESPACES: "Not_A_Namespace" is not a namespace name (comma-separated list)',
    ],
    [{ LOGPOND_POD_GRACE: '5 minutes' }, 'LOGPOND_POD_GRACE: expected a duration such as 30s, 5m or 1h, got "5 minutes"'],
  ])('refuses %o', (env, message) => {
    let error: unknown;
    try {
      loadCollectorConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(message);
  });

  it('uses LOGPOND_SERVER_URL without a trailing slash', () => {
    expect(loadCollectorConfig({ LOGPOND_SERVER_URL: 'https://logs.example.com/' }).ingestUrl).toBe(
      'https://logs.example.com/api/ingest',
    );
  });
});
