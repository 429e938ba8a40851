// The whole pipeline against a stand-in ingest route: real files, real HTTP, real chokidar.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCollector, type Collector, type CollectorOptions } from './collector';
import { laneOf } from './ship/send-lanes';
import { KubeConfig } from '@kubernetes/client-node';
import { startKubeMetadata } from './meta/kube-metadata';
import { podListProvider } from './meta/metadata-provider';
import { startKubeApiStandIn } from './test-support/kube-api-stand-in';
import { startIngestStandIn, type IngestStandIn } from './test-support/ingest-stand-in';
import { criLine, makeTempDir } from './test-support/temp-dir';
import { waitFor } from './test-support/wait-for';

const NAME_A = 'web-7d9f8b6c5d-x2x9q_shop_nginx-side-car-aaaa1111.log';
const NAME_B = 'api.v2-0_payments_api-bbbb2222.log';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let logDir: string;
let standIn: IngestStandIn;
const running: Collector[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
  logDir = path.join(temp.dir, 'containers');
  await fs.mkdir(logDir);
  standIn = await startIngestStandIn({ token: 'secret' });
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
  await standIn.close();
  await temp.remove();
});

async function restartStandIn(options: Parameters<typeof startIngestStandIn>[0]): Promise<void> {
  await standIn.close();
  standIn = await startIngestStandIn({ token: 'secret', ...options });
}

async function start(extra: Partial<CollectorOptions> = {}): Promise<Collector> {
  const collector = await startCollector({
    logDir,
    ingestUrl: standIn.url,
    ingestToken: 'secret',
    nodeName: 'node-1',
    checkpointPath: path.join(temp.dir, 'checkpoint.json'),
    maxLineBytes: 4096,
    tuning: { pollIntervalMs: 20, batchMaxAgeMs: 30, retryBaseDelayMs: 5, retryMaxDelayMs: 40, flushTimeoutMs: 5_000 },
    ...extra,
  });
  running.push(collector);
  await collector.ready;
  return collector;
}

const lines = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => criLine(`${prefix} ${from + i}`)).join('');
const numbered = (prefix: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `${prefix} ${from + i}`);

function storedFor(prefix: string): string[] {
  return standIn.messages().filter((m) => m.startsWith(`${prefix} `));
}

async function waitForStored(prefix: string, count: number): Promise<void> {
  await waitFor(() => storedFor(prefix).length >= count, `${count} "${prefix}" lines at the server`);
}

describe('collector', () => {
  it('picks up new files (and symlinks), enriches sources, and reads a deleted file to its end', async () => {
    const collector = await start({
      metadata: podListProvider([
        {
          namespace: 'shop',
          name: 'web-7d9f8b6c5d-x2x9q',
          uid: 'uid-1',
          node: 'node-a',
          labels: { 'app.kubernetes.io/name': 'web' },
          annotations: {},
          containers: [{ name: 'nginx-side-car', id: 'aaaa1111' }],
        },
      ]),
    });
    await fs.writeFile(path.join(logDir, NAME_A), lines('a', 0, 5));
    const target = path.join(temp.dir, 'pods', 'api', '0.log');
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, lines('b', 0, 3));
    await fs.symlink(target, path.join(logDir, NAME_B));
    await fs.writeFile(path.join(logDir, 'ignored.txt'), lines('ignored', 0, 1));
    await waitForStored('a', 5);
    await waitForStored('b', 3);

    const meta = (prefix: string) => standIn.stored.find((e) => e.message.startsWith(`${prefix} `))!.sourceMeta;
    expect(meta('a')).toMatchObject({
      key: 'node-1/aaaa1111',
      namespace: 'shop',
      pod: 'web-7d9f8b6c5d-x2x9q',
      container: 'nginx-side-car',
      podUid: 'uid-1',
      node: 'node-a',
      labels: { 'app.kubernetes.io/name': 'web' },
    });
    expect(meta('b')).toMatchObject({ key: 'node-1/bbbb2222', namespace: 'payments', pod: 'api.v2-0', container: 'api', node: 'node-1' });

    await fs.appendFile(target, lines('b', 3, 6));
    await fs.appendFile(path.join(logDir, NAME_A), lines('a', 5, 8));
    await fs.unlink(path.join(logDir, NAME_A));
    await waitForStored('a', 8);
    await waitForStored('b', 6);
    await waitFor(() => collector.followed().length === 1, 'the deleted file to be dropped');
    expect(storedFor('a')).toEqual(numbered('a', 0, 8));
    expect(storedFor('b')).toEqual(numbered('b', 0, 6));
    expect(storedFor('ignored')).toEqual([]);
    expect(standIn.violations).toEqual([]);
  });

  it('delivers every line exactly once after the server answered 503 for a while', async () => {
    standIn.failNext(6);
    const collector = await start();
    await fs.writeFile(path.join(logDir, NAME_A), lines('a', 0, 300));
    await fs.writeFile(path.join(logDir, NAME_B), lines('b', 0, 300));
    await waitForStored('a', 300);
    await waitForStored('b', 300);
    await fs.appendFile(path.join(logDir, NAME_A), lines('a', 300, 310));
    await waitForStored('a', 310);
    expect(storedFor('a')).toEqual(numbered('a', 0, 310));
    expect(storedFor('b')).toEqual(numbered('b', 0, 300));
    expect(collector.metrics.batchRetries).toBeGreaterThanOrEqual(6);
    expect(collector.metrics.batchesDropped).toBe(0);
    expect(standIn.violations).toEqual([]);
  });

  it('keeps a batch of each lane in flight against a slow server, each file in order, every line once', async () => {
    await restartStandIn({ answerDelayMs: 100 });
    standIn.failNext(3);
    // Names that fall into both lanes, whatever the temp directory is called.
    const names: string[] = [];
    for (let i = 0; names.length < 8; i++) {
      const name = `app-${i}_shop_app-${String(i % 10).repeat(8)}.log`;
      if (laneOf(path.join(logDir, name), 2) === names.length % 2) names.push(name);
    }
    await Promise.all(names.map((name, i) => fs.writeFile(path.join(logDir, name), lines(`f${i}`, 0, 400))));
    await start({ tuning: { pollIntervalMs: 20, batchMaxAgeMs: 30, batchMaxBytes: 32 * 1024, retryBaseDelayMs: 5, retryMaxDelayMs: 40, flushTimeoutMs: 5_000, sendLanes: 2 } });
    for (let i = 0; i < names.length; i++) await waitForStored(`f${i}`, 400);
    for (let i = 0; i < names.length; i++) expect(storedFor(`f${i}`)).toEqual(numbered(`f${i}`, 0, 400));
    // Two batches were answered at once: the server is not left waiting while one is.
    expect(standIn.mostAtOnce).toBe(2);
    expect(standIn.violations).toEqual([]);
  });

  it('stops reading while the server is away, so memory stays bounded, and catches up after', async () => {
    standIn.failNext(1_000_000);
    const collector = await start();
    const file = path.join(logDir, NAME_A);
    const content = Array.from({ length: 30_000 }, (_, i) => criLine(`a ${i} ${'z'.repeat(200)}`)).join('');
    await fs.writeFile(file, content);
    await waitFor(() => standIn.requests >= 8, 'eight failed deliveries');
    // One batch in flight, two waiting, one chunk being read: far less than the 7 MiB file.
    expect(collector.metrics.bytesRead).toBeLessThan(4 * 1024 * 1024);
    expect(content.length).toBeGreaterThan(7 * 1024 * 1024);
    standIn.failNext(0);
    await waitForStored('a', 30_000);
    expect(storedFor('a').map((m) => m.split(' ')[1])).toEqual(Array.from({ length: 30_000 }, (_, i) => String(i)));
    expect(standIn.duplicates).toBe(0);
  });

  it('lets answers and probes in between the chunks of a backlog it reads', async () => {
    // A backlog of 2 MiB fits the lanes' queues, so nothing makes the reader wait for the server.
    await fs.writeFile(path.join(logDir, NAME_A), lines(`b ${'y'.repeat(100)}`, 0, 15_000));
    const chunkBytes = 16 * 1024;
    const collector = await start({ tuning: { pollIntervalMs: 20, batchMaxAgeMs: 30, chunkBytes, flushTimeoutMs: 5_000 } });
    // What the event loop saw between two of its turns: while the reader held it, a response
    // from the server (or the health server's probe) waited for the whole backlog.
    let mostBetweenTurns = 0;
    let seen = collector.metrics.bytesRead;
    await new Promise<void>((resolve) => {
      const look = () => {
        const now = collector.metrics.bytesRead;
        mostBetweenTurns = Math.max(mostBetweenTurns, now - seen);
        seen = now;
        if (storedFor('b').length >= 15_000) resolve();
        else setImmediate(look);
      };
      setImmediate(look);
    });
    expect(collector.metrics.bytesRead).toBeGreaterThan(2 * 1024 * 1024);
    expect(mostBetweenTurns).toBeLessThanOrEqual(chunkBytes);
  });

  it('waits for a log directory that does not exist yet', async () => {
    await fs.rm(logDir, { recursive: true });
    const collector = await startCollector({
      logDir,
      ingestUrl: standIn.url,
      ingestToken: 'secret',
      nodeName: 'node-1',
      checkpointPath: path.join(temp.dir, 'checkpoint.json'),
      maxLineBytes: 4096,
      tuning: { pollIntervalMs: 20, batchMaxAgeMs: 30 },
    });
    running.push(collector);
    await fs.mkdir(logDir);
    await fs.writeFile(path.join(logDir, NAME_B), lines('b', 0, 3));
    await waitForStored('b', 3);
  });

  it('resends nothing already acknowledged after a restart on the same checkpoint', async () => {
    const file = path.join(logDir, NAME_A);
    await fs.writeFile(file, lines('a', 0, 50));
    const first = await start();
    await waitForStored('a', 50);
    expect(await first.stop()).toBe(true);

    await fs.appendFile(file, lines('a', 50, 80));
    await start();
    await waitForStored('a', 80);
    expect(storedFor('a')).toEqual(numbered('a', 0, 80));
    expect(standIn.duplicates).toBe(0);
    expect(standIn.violations).toEqual([]);
  });

  it('follows a rotation (rename, new file, late writes to the old one) without loss or doubles', async () => {
    const file = path.join(logDir, NAME_A);
    await fs.writeFile(file, lines('a', 0, 10));
    await start();
    await waitForStored('a', 10);
    await fs.rename(file, `${file}.20260101-000000`);
    await fs.writeFile(file, lines('a', 13, 20));
    await fs.appendFile(`${file}.20260101-000000`, lines('a', 10, 13));
    await waitForStored('a', 20);
    // Late lines of the old file may arrive after the new file's first lines; each arrives once.
    const byNumber = (x: string, y: string) => Number(x.split(' ')[1]) - Number(y.split(' ')[1]);
    expect(storedFor('a').sort(byNumber)).toEqual(numbered('a', 0, 20));
    expect(new Set(standIn.stored.map((e) => e.file)).size).toBe(2);
    expect(standIn.duplicates).toBe(0);
  });

  it('splits a batch the server finds too large (413) into halves until each fits, in order', async () => {
    await restartStandIn({ maxEntries: 300 });
    const collector = await start({ tuning: { pollIntervalMs: 20, batchMaxAgeMs: 200, retryBaseDelayMs: 5 } });
    await fs.writeFile(path.join(logDir, NAME_A), lines('a', 0, 2_000));
    await waitForStored('a', 2_000);
    expect(storedFor('a')).toEqual(numbered('a', 0, 2_000));
    expect(standIn.tooLarge).toBeGreaterThan(0);
    expect(collector.metrics.batchesSplit).toBe(standIn.tooLarge);
    expect(collector.metrics.batchesDropped).toBe(0);
    expect(standIn.violations).toEqual([]);
  });

  it('reads but does not send the containers of excluded namespaces and pods, and does not read them again', async () => {
    const pods = [
      { namespace: 'shop', name: 'web-7d9f8b6c5d-x2x9q', excluded: false },
      { namespace: 'payments', name: 'api.v2-0', excluded: true },
    ].map(({ namespace, name, excluded }) => ({
      namespace,
      name,
      uid: `uid-${name}`,
      node: 'node-1',
      labels: {},
      annotations: excluded ? { 'logpond.io/exclude': 'true' } : ({} as Record<string, string>),
      containers: [],
    }));
    const noisy = 'noisy_kube-system_proxy-cccc3333.log';
    await fs.writeFile(path.join(logDir, NAME_A), lines('a', 0, 5));
    await fs.writeFile(path.join(logDir, NAME_B), lines('b', 0, 5));
    await fs.writeFile(path.join(logDir, noisy), lines('n', 0, 5));
    const options = { metadata: podListProvider(pods), excludeNamespaces: ['kube-system'] };
    const first = await start(options);
    await waitForStored('a', 5);
    await waitFor(() => first.metrics.entriesExcluded === 10, 'ten entries passed over');
    await first.stop();
    await fs.appendFile(path.join(logDir, NAME_A), lines('a', 5, 6));
    const second = await start(options);
    await waitForStored('a', 6);
    expect(storedFor('b')).toEqual([]);
    expect(storedFor('n')).toEqual([]);
    expect(second.metrics.entriesExcluded).toBe(0);
  });

  it('reports how many bytes of each file the server has not acknowledged', async () => {
    standIn.failNext(1_000_000);
    const collector = await start();
    const file = path.join(logDir, NAME_A);
    const content = lines('a', 0, 100);
    await fs.writeFile(file, content);
    await waitFor(() => standIn.requests >= 2, 'failed deliveries');
    expect(collector.metrics.fileLag()).toEqual([[file, content.length]]);
    standIn.failNext(0);
    await waitForStored('a', 100);
    await waitFor(() => collector.metrics.fileLag()[0]?.[1] === 0, 'no lag');
    expect(await collector.metrics.render()).toContain(`logpond_collector_file_lag_bytes{path="${file}"} 0`);
  });

  it('loses and doubles no line when the file rotates again and again during a burst', async () => {
    const file = path.join(logDir, NAME_A);
    await fs.writeFile(file, '');
    await start();
    const total = 20_000;
    let written = 0;
    for (let rotation = 1; written < total; rotation++) {
      // A burst into the current file, then the runtime's rename and a fresh file, as containerd does.
      for (let i = 0; i < 10 && written < total; i++) {
        const next = Math.min(total, written + 200);
        await fs.appendFile(file, lines('a', written, next));
        written = next;
      }
      await fs.rename(file, `${file}.${rotation}`);
      await fs.writeFile(file, '');
    }
    await waitForStored('a', total).catch(() => {
      const got = new Set(storedFor('a').map((m) => Number(m.split(' ')[1])));
      const missing = numbered('a', 0, total).filter((_, i) => !got.has(i));
      const files = new Set(standIn.stored.map((e) => e.file)).size;
      throw new Error(`${missing.length} lines never arrived (${missing[0]} … ${missing.at(-1)}); ${files} of 11 generations seen`);
    });
    const byNumber = (x: string, y: string) => Number(x.split(' ')[1]) - Number(y.split(' ')[1]);
    expect(storedFor('a').sort(byNumber)).toEqual(numbered('a', 0, total));
    expect(standIn.duplicates).toBe(0);
    expect(standIn.violations).toEqual([]);
  });

  it('skips and reports a binary file and a name it cannot read, while the other files flow', async () => {
    const collector = await start();
    const garbage = Buffer.alloc(64 * 1024);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) % 251;
    await fs.writeFile(path.join(logDir, 'core-dump_shop_app-dddd4444.log'), garbage);
    await fs.writeFile(path.join(logDir, 'not-a-kubelet-name.log'), lines('odd', 0, 3));
    await fs.writeFile(path.join(logDir, NAME_A), lines('a', 0, 5));
    await waitForStored('a', 5);
    await waitForStored('odd', 3);
    await fs.appendFile(path.join(logDir, NAME_A), lines('a', 5, 10));
    await waitForStored('a', 10);
    expect(standIn.stored.filter((e) => e.sourceMeta.pod === 'core-dump')).toEqual([]);
    expect(standIn.stored.find((e) => e.message.startsWith('odd '))?.sourceMeta).toMatchObject({ namespace: 'unknown', pod: 'not-a-kubelet-name' });
    expect(collector.metrics.errors.get('file_binary')).toBe(1);
    expect(collector.metrics.errors.get('file_name')).toBe(1);
  });

  it('attaches pod metadata from the API server and follows its changes, the exclude annotation included', async () => {
    const kube = await startKubeApiStandIn();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(await kube.writeKubeconfig(temp.dir));
    kube.addPod({ namespace: 'shop', name: 'web-7d9f8b6c5d-x2x9q', node: 'node-1', uid: 'uid-web', labels: { app: 'web' }, containers: ['nginx-side-car'] });
    const metadata = startKubeMetadata({ kubeConfig, nodeName: 'node-1' });
    try {
      const file = path.join(logDir, NAME_A);
      await fs.writeFile(file, lines('a', 0, 2));
      await start({ metadata });
      await waitForStored('a', 2);
      expect(standIn.stored[0].sourceMeta).toMatchObject({ podUid: 'uid-web', labels: { app: 'web' }, node: 'node-1' });

      kube.updatePod('shop', 'web-7d9f8b6c5d-x2x9q', { labels: { app: 'web', version: 'v2' } });
      await waitFor(() => metadata.lookup('shop', 'web-7d9f8b6c5d-x2x9q', 'nginx-side-car', '')?.labels?.version === 'v2', 'the new label');
      await fs.appendFile(file, lines('a', 2, 3));
      await waitForStored('a', 3);
      expect(standIn.stored.at(-1)!.sourceMeta.labels).toEqual({ app: 'web', version: 'v2' });

      kube.updatePod('shop', 'web-7d9f8b6c5d-x2x9q', { annotations: { 'logpond.io/exclude': 'true' } });
      await waitFor(() => metadata.isExcluded('shop', 'web-7d9f8b6c5d-x2x9q'), 'the exclusion');
      await fs.appendFile(file, lines('a', 3, 6));
      await fs.writeFile(path.join(logDir, NAME_B), lines('b', 0, 1));
      await waitForStored('b', 1);
      await new Promise((r) => setTimeout(r, 200));
      expect(storedFor('a')).toEqual(numbered('a', 0, 3));
    } finally {
      await metadata.close();
      await kube.close();
    }
  });
});
