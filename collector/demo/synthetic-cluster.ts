// A bigger fake cluster than the demo's, for benchmarks: any number of container log files,
// named and labelled the way Kubernetes controllers name them, deterministic for a seed.

import { createHash } from 'node:crypto';
import type { SourceMeta } from '../../common/ingest-batch';
import { DEMO_PODS, demoLogFileName } from './demo-pods';
import type { ContainerKind } from './line-generator';
import { hashSeed, int, mulberry32, pick, type Rng } from './rng';

/** One container log file, with the metadata a collector would attach to it. */
export interface LogFileSpec extends Omit<SourceMeta, 'key'> {
  /** `<pod>_<namespace>_<container>-<containerId>.log` */
  name: string;
  kind: ContainerKind;
  service: string;
  /** Relative share of the corpus's lines. */
  weight: number;
}

// The Kubernetes name-suffix alphabet: no vowels, no look-alikes (SafeEncodeString).
const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const NAMESPACES = ['orders', 'catalog', 'checkout', 'payments', 'identity', 'search', 'shipping', 'notifications', 'analytics', 'data-pipeline', 'ml-serving', 'billing', 'media', 'support', 'platform', 'logging', 'cert-manager', 'argocd'];
const MESHED_NAMESPACES = new Set(['orders', 'catalog', 'checkout', 'payments', 'identity', 'search', 'shipping', 'billing']);
const PREFIXES = ['order', 'invoice', 'inventory', 'shipping', 'pricing', 'search', 'recommendation', 'notification', 'email', 'review', 'wishlist', 'coupon', 'loyalty', 'fraud', 'risk', 'report', 'audit', 'profile', 'media', 'thumbnail', 'geo', 'tax', 'currency', 'warehouse', 'returns', 'subscription', 'ledger', 'session', 'feature-flag', 'experiment', 'clickstream', 'etl', 'ranking', 'embedding', 'translation'];
const ROLES: Array<[role: string, kinds: ContainerKind[], component: string]> = [
  ['api', ['web-json', 'go-logfmt', 'java'], 'api'],
  ['service', ['java', 'go-logfmt'], 'backend'],
  ['worker', ['python-worker', 'go-logfmt', 'java'], 'worker'],
  ['consumer', ['java', 'python-worker'], 'worker'],
  ['gateway', ['java', 'go-logfmt'], 'gateway'],
  ['web', ['web-json'], 'frontend'],
  ['scheduler', ['python-worker', 'go-logfmt'], 'scheduler'],
  ['db', ['postgres'], 'database'],
];
const TEAMS = ['web', 'checkout', 'payments', 'identity', 'search', 'logistics', 'growth', 'data', 'ml', 'platform'];
const NODES = Array.from({ length: 12 }, (_, i) => `node-${String.fromCharCode(97 + i)}`);

function kubeSuffix(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += KUBE_ALPHABET[(rng() * KUBE_ALPHABET.length) | 0];
  return s;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function uidOf(text: string): string {
  const h = sha256(text);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function demoFiles(): LogFileSpec[] {
  return DEMO_PODS.flatMap((pod) =>
    pod.containers.map((c) => ({
      name: demoLogFileName(pod, c),
      node: pod.node,
      namespace: pod.namespace,
      pod: pod.name,
      podUid: pod.uid,
      container: c.name,
      containerId: c.id,
      labels: pod.labels,
      annotations: pod.annotations,
      kind: c.kind,
      service: c.service,
      weight: c.weight,
    })),
  );
}

/** Adds one synthetic workload's containers (all replicas) to `files`. */
function addWorkload(rng: Rng, seed: number, files: LogFileSpec[], taken: Set<string>): void {
  const namespace = pick(rng, NAMESPACES);
  const [role, kinds, component] = pick(rng, ROLES);
  const base = `${pick(rng, PREFIXES)}-${role}`;
  // Numbered once the plain names run out, so that any number of files can be asked for.
  let app = base;
  for (let n = 2; taken.has(`${namespace}/${app}`); n++) app = `${base}-${n}`;
  taken.add(`${namespace}/${app}`);
  const kind = pick(rng, kinds);
  const stateful = role === 'db' || rng() < 0.1;
  const templateHash = kubeSuffix(rng, int(rng, 9, 10));
  const replicas = stateful ? int(rng, 1, 3) : int(rng, 1, 4);
  const meshed = MESHED_NAMESPACES.has(namespace) && role !== 'db';
  const weight = Math.exp(rng() * 3) / 4;
  const labels: Record<string, string> = {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/version': `${int(rng, 0, 6)}.${int(rng, 0, 30)}.${int(rng, 0, 12)}`,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': namespace,
    team: pick(rng, TEAMS),
    ...(stateful ? { 'controller-revision-hash': `${app}-${kubeSuffix(rng, 10)}` } : { 'pod-template-hash': templateHash }),
    ...(meshed ? { 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': app } : {}),
  };
  for (let r = 0; r < replicas; r++) {
    const pod = stateful ? `${app}-${r}` : `${app}-${templateHash}-${kubeSuffix(rng, 5)}`;
    const podLabels = stateful ? { ...labels, 'statefulset.kubernetes.io/pod-name': pod } : labels;
    const annotations: Record<string, string> = { 'kubectl.kubernetes.io/default-container': app };
    const containers: Array<[name: string, kind: ContainerKind, weight: number]> = [[app, kind, weight]];
    if (meshed) containers.push(['istio-proxy', 'envoy', weight * 0.8]);
    for (const [container, containerKind, w] of containers) {
      const containerId = sha256(`${seed}/${namespace}/${pod}/${container}`);
      files.push({
        name: `${pod}_${namespace}_${container}-${containerId}.log`,
        node: pick(rng, NODES),
        namespace,
        pod,
        podUid: uidOf(`${seed}/${namespace}/${pod}`),
        container,
        containerId,
        labels: podLabels,
        annotations,
        kind: containerKind,
        service: app,
        weight: w,
      });
    }
  }
}

/** `count` distinct container log files: the demo cluster's containers first, then synthetic workloads. */
export function syntheticLogFiles(count: number, seed: number): LogFileSpec[] {
  const files = demoFiles().slice(0, count);
  const rng = mulberry32(hashSeed(seed, 'corpus-files'));
  const taken = new Set<string>(files.map((f) => `${f.namespace}/${f.service}`));
  while (files.length < count) addWorkload(rng, seed, files, taken);
  return files.slice(0, count);
}
