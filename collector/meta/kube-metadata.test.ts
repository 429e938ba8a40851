// The pod metadata cache against a stand-in API server, with the real @kubernetes/client-node
// doing the HTTP: list, watch, namespaces, exclusion, grace period, outages and resumption.
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { startKubeApiStandIn, type KubeApiStandIn } from '../test-support/kube-api-stand-in';
import { makeTempDir } from '../test-support/temp-dir';
import { waitFor } from '../test-support/wait-for';
import { KubeApiError } from './kube-api';
import { loadKubeConfig, startKubeMetadata, type KubeMetadata, type KubeMetadataOptions } from './kube-metadata';

const NODE = 'node-a';
const EXCLUDE = { 'logpond.io/exclude': 'true' };

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let standIn: KubeApiStandIn;
let kubeConfig: KubeConfig;
let errors: unknown[];
let clock: number;
const running: KubeMetadata[] = [];

beforeEach(async () => {
  temp = await makeTempDir('logpond-kube-');
  standIn = await startKubeApiStandIn();
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(await standIn.writeKubeconfig(temp.dir));
  errors = [];
  clock = 1_000_000;
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((meta) => meta.close()));
  // close() must leave no watch behind.
  await waitFor(() => standIn.openWatches() === 0, 'no open watch after close');
  await standIn.close();
  await temp.remove();
});

function start(extra: Partial<KubeMetadataOptions> = {}): KubeMetadata {
  const meta = startKubeMetadata({
    kubeConfig,
    nodeName: NODE,
    retry: { baseDelayMs: 10, maxDelayMs: 100 },
    readyTimeoutMs: 2_000,
    onError: (err) => errors.push(err),
    now: () => clock,
    ...extra,
  });
  running.push(meta);
  return meta;
}

async function started(extra: Partial<KubeMetadataOptions> = {}): Promise<KubeMetadata> {
  const meta = start(extra);
  await meta.ready;
  await waitFor(() => standIn.openWatches() === 1, 'the watch to open');
  return meta;
}

const statuses = () => errors.map((err) => (err instanceof KubeApiError ? err.status : 'not a KubeApiError'));

describe('kube metadata', () => {
  it("lists this node's pods at start: uid, node, labels and only the selected annotations", async () => {
    standIn.addPod({
      namespace: 'shop',
      name: 'web-1',
      node: NODE,
      uid: 'uid-web-1',
      labels: { 'app.kubernetes.io/name': 'web', tier: 'front' },
      annotations: {
        'logpond.io/parser': 'json',
        'logpond.io/long': 'x'.repeat(5_000),
        'kubectl.kubernetes.io/default-container': 'nginx',
        'kubectl.kubernetes.io/last-applied-configuration': '{"huge":true}',
        'example.com/other': 'y',
      },
      containers: ['nginx', 'side-car'],
    });
    standIn.addPod({ namespace: 'shop', name: 'web-2', node: 'node-b' });

    const meta = await started();

    expect(meta.lookup('shop', 'web-1', 'nginx', 'c0ffee')).toEqual({
      podUid: 'uid-web-1',
      node: NODE,
      labels: { 'app.kubernetes.io/name': 'web', tier: 'front' },
      annotations: {
        'logpond.io/parser': 'json',
        'logpond.io/long': 'x'.repeat(1024),
        'kubectl.kubernetes.io/default-container': 'nginx',
      },
    });
    expect(meta.lookup('shop', 'web-2', 'main', '')).toBeUndefined();
    expect(meta.podCount()).toBe(1);
    expect(standIn.podFieldSelectors).toEqual([`spec.nodeName=${NODE}`, `spec.nodeName=${NODE}`]);
    expect(errors).toEqual([]);
  });

  it('follows ADDED and MODIFIED events; pods of other nodes stay unknown', async () => {
    const meta = await started();

    standIn.addPod({ namespace: 'shop', name: 'elsewhere', node: 'node-b' });
    standIn.addPod({ namespace: 'shop', name: 'api-1', node: NODE, labels: { version: 'v1' } });
    await waitFor(() => meta.lookup('shop', 'api-1', 'main', ''), 'the added pod');
    standIn.updatePod('shop', 'api-1', { labels: { version: 'v2' } });
    await waitFor(() => meta.lookup('shop', 'api-1', 'main', '')?.labels?.version === 'v2', 'the new label');

    // Events arrive in order, so the other node's pod would have been seen by now.
    expect(meta.lookup('shop', 'elsewhere', 'main', '')).toBeUndefined();
    expect(meta.podCount()).toBe(1);
  });

  it('keeps a deleted pod for the grace period, then forgets it, so a churning node stays flat', async () => {
    standIn.addPod({ namespace: 'shop', name: 'stays', node: NODE });
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE, uid: 'uid-web-1' });
    const meta = await started({ deletedPodGraceMs: 100 });

    standIn.deletePod('shop', 'web-1');
    for (let i = 0; i < 50; i++) {
      standIn.addPod({ namespace: 'batch', name: `job-${i}`, node: NODE });
      standIn.deletePod('batch', `job-${i}`);
    }
    standIn.addPod({ namespace: 'shop', name: 'marker', node: NODE });
    await waitFor(() => meta.lookup('shop', 'marker', 'main', ''), 'the marker pod after the deletions');

    // The clock has not moved: the deleted pods' files may still be draining.
    expect(meta.lookup('shop', 'web-1', 'main', '')?.podUid).toBe('uid-web-1');
    expect(meta.podCount()).toBe(53);

    clock += 100;
    await waitFor(() => meta.podCount() === 2, 'the deleted pods to be forgotten');
    expect(meta.lookup('shop', 'web-1', 'main', '')).toBeUndefined();
    expect(meta.lookup('shop', 'stays', 'main', '')).toBeDefined();
  });

  it('excludes a pod annotated logpond.io/exclude and every pod of an annotated namespace', async () => {
    standIn.setNamespace('quiet', EXCLUDE);
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE });
    standIn.addPod({ namespace: 'shop', name: 'noisy', node: NODE, annotations: EXCLUDE });
    standIn.addPod({ namespace: 'quiet', name: 'job-1', node: NODE });
    standIn.addPod({ namespace: 'quiet', name: 'job-2', node: NODE });
    standIn.addPod({ namespace: 'ghost', name: 'orphan', node: NODE });
    standIn.deleteNamespace('ghost');

    // ready waits for the namespaces of the first list, so exclusion holds from the first batch.
    const meta = await started();
    for (let i = 0; i < 3; i++) {
      expect(meta.isExcluded('shop', 'web-1')).toBe(false);
      expect(meta.isExcluded('shop', 'noisy')).toBe(true);
      expect(meta.isExcluded('quiet', 'job-1')).toBe(true);
      expect(meta.isExcluded('shop', 'unknown')).toBe(false);
      // A namespace that cannot be read is not fatal and excludes nothing.
      expect(meta.isExcluded('ghost', 'orphan')).toBe(false);
    }
    // Each namespace is read once, not per pod or per question.
    expect(standIn.requests.namespace).toBe(3);
    expect(statuses()).toEqual([404]);
    expect(String(errors[0])).toContain('read namespace ghost: HTTP 404 namespaces "ghost" not found');
  });

  it('notices a namespace annotated later once its entry is due for a refresh', async () => {
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE });
    const meta = await started();
    expect(meta.isExcluded('shop', 'web-1')).toBe(false);

    standIn.setNamespace('shop', EXCLUDE);
    expect(meta.isExcluded('shop', 'web-1')).toBe(false);
    clock += 3 * 60_000;
    await waitFor(() => meta.isExcluded('shop', 'web-1'), 'the namespace exclusion after a refresh');
    expect(standIn.requests.namespace).toBe(2);
  });

  it('starts while the API server is unreachable: ready resolves, lookups are empty, metadata fills in later', async () => {
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE, uid: 'uid-web-1' });
    await standIn.stop();

    const meta = start({ readyTimeoutMs: 200 });
    await meta.ready;
    expect(meta.lookup('shop', 'web-1', 'main', '')).toBeUndefined();
    expect(meta.isExcluded('shop', 'web-1')).toBe(false);
    await waitFor(() => errors.length >= 2, 'failed attempts while the server is down');
    expect(statuses().every((status) => status === undefined)).toBe(true);

    await standIn.resume();
    await waitFor(() => meta.lookup('shop', 'web-1', 'main', '')?.podUid === 'uid-web-1', 'metadata once the server answers');
  });

  it('recovers from error answers by listing again, and sees what changed meanwhile', async () => {
    standIn.addPod({ namespace: 'shop', name: 'old', node: NODE });
    const meta = await started({ deletedPodGraceMs: 100 });

    standIn.failWith(500);
    standIn.dropWatches();
    await waitFor(() => statuses().filter((status) => status === 500).length >= 2, 'refused watches and lists');
    standIn.deletePod('shop', 'old');
    standIn.addPod({ namespace: 'shop', name: 'new', node: NODE });
    standIn.failWith(undefined);

    await waitFor(() => meta.lookup('shop', 'new', 'main', ''), 'the pod added during the outage');
    // The pod missing from the fresh list counts as deleted: known for the grace, then gone.
    expect(meta.lookup('shop', 'old', 'main', '')).toBeDefined();
    clock += 100;
    await waitFor(() => meta.lookup('shop', 'old', 'main', '') === undefined, 'the pod deleted during the outage to go');
  });

  it('resumes a watch the server dropped from where it was, without listing again', async () => {
    const meta = await started();
    const watchesBefore = standIn.requests.watch;

    standIn.dropWatches();
    // Made while no watch is open: the resumed watch replays it from the last resourceVersion.
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE });
    await waitFor(() => meta.lookup('shop', 'web-1', 'main', ''), 'the pod added while the watch was down');

    expect(standIn.requests.watch).toBeGreaterThan(watchesBefore);
    expect(standIn.requests.list).toBe(1);
    expect(errors).toEqual([]);
  });

  it('lists again when its resourceVersion is too old (410 Gone)', async () => {
    const meta = await started();

    standIn.compact();
    standIn.dropWatches();
    standIn.addPod({ namespace: 'shop', name: 'web-1', node: NODE });
    await waitFor(() => meta.lookup('shop', 'web-1', 'main', ''), 'the pod after the re-list');

    expect(standIn.requests.list).toBe(2);
    expect(errors).toEqual([]);
  });
});

describe('loadKubeConfig', () => {
  it('loads KUBECONFIG when set, and nothing outside a cluster without it', async () => {
    const file = await standIn.writeKubeconfig(temp.dir);
    expect(loadKubeConfig({ KUBECONFIG: file })?.getCurrentCluster()?.server).toBe(standIn.url);
    expect(loadKubeConfig({})).toBeUndefined();
  });

  it('names KUBECONFIG when the file cannot be loaded', () => {
    const load = () => loadKubeConfig({ KUBECONFIG: `${temp.dir}/missing.yaml` });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^KUBECONFIG: cannot load /);
  });
});
