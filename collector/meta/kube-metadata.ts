// Pod metadata from the Kubernetes API: a watch-fed cache of the pods on this node, plus the
// namespaces they live in (for the exclude annotation). Nothing here may stop the collector: an
// API server that is down or slow only means sources go out without labels until it answers.
import path from 'node:path';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { SourceMeta } from '../../common/ingest-batch';
import { ConfigError, errorMessage } from '../errors';
import { silentLogger, type Logger } from '../log';
import { kubeApiError, withSignal } from './kube-api';
import { EXCLUDE_ANNOTATION, type MetadataProvider } from './metadata-provider';
import { startPodWatch, type PodEventType } from './pod-watch';

export interface KubeMetadataOptions {
  kubeConfig: KubeConfig;
  /** Only pods with spec.nodeName=<nodeName> are listed and watched. */
  nodeName: string;
  /** A deleted pod stays known this long: its files may still be draining. */
  deletedPodGraceMs?: number;
  /** Annotation keys copied into SourceMeta.annotations as they are. */
  annotationKeys?: readonly string[];
  /** Annotations whose key starts with one of these are copied too. */
  annotationPrefixes?: readonly string[];
  /** `ready` resolves after this long even if the API server has not answered. */
  readyTimeoutMs?: number;
  /** Backoff between failed lists/watches. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
  log?: Logger;
  /** Every failed API call, for the caller's metrics. */
  onError?: (err: unknown) => void;
  now?: () => number;
}

export interface KubeMetadata extends MetadataProvider {
  isExcluded(namespace: string, pod: string): boolean;
  ready: Promise<void>;
  close(): Promise<void>;
  /** Pods in the cache, deleted ones still in their grace period included. */
  podCount(): number;
}

const DEFAULT_DELETED_POD_GRACE_MS = 5 * 60_000;
const DEFAULT_READY_TIMEOUT_MS = 5_000;
export const DEFAULT_ANNOTATION_KEYS: readonly string[] = ['kubectl.kubernetes.io/default-container'];
export const DEFAULT_ANNOTATION_PREFIXES: readonly string[] = ['logpond.io/'];
// Annotations ride along with every source of every batch; kubectl's last-applied-configuration
// alone can be hundreds of kilobytes, so what is copied is capped in count and size.
const MAX_ANNOTATIONS = 16;
const MAX_ANNOTATION_VALUE_CHARS = 1024;
// An annotation added to a namespace takes effect within this long.
const NAMESPACE_REFRESH_MS = 3 * 60_000;
// A namespace read that failed is tried again sooner, but not on every lookup.
const NAMESPACE_RETRY_MS = 30_000;
const NAMESPACE_READ_TIMEOUT_MS = 10_000;
// Sweeping walks every cached pod; a node holds ~100, so twice per grace period (capped) is cheap.
const MAX_SWEEP_INTERVAL_MS = 30_000;
const MIN_SWEEP_INTERVAL_MS = 10;

interface CachedPod {
  uid: string;
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  excluded: boolean;
  deletedAt?: number;
}

interface CachedNamespace {
  excluded: boolean;
  /** When the next read is due (refresh after success, retry after failure). */
  dueAt: number;
  reading?: Promise<void>;
}

export function startKubeMetadata(options: KubeMetadataOptions): KubeMetadata {
  const now = options.now ?? Date.now;
  const log = options.log ?? silentLogger;
  const graceMs = options.deletedPodGraceMs ?? DEFAULT_DELETED_POD_GRACE_MS;
  const selectAnnotations = annotationSelector(
    options.annotationKeys ?? DEFAULT_ANNOTATION_KEYS,
    options.annotationPrefixes ?? DEFAULT_ANNOTATION_PREFIXES,
  );
  const pods = new Map<string, CachedPod>();
  const namespaces = new Map<string, CachedNamespace>();
  const closing = new AbortController();
  let failing = false;
  let listed = false;

  const reportError = (err: unknown) => {
    try {
      options.onError?.(err);
    } catch {
      // The caller's counter failing must not stop the watch.
    }
  };

  let core: CoreV1Api | undefined;
  try {
    core = options.kubeConfig.makeApiClient(CoreV1Api);
  } catch {
    // The pod watch reports the same failure (no current cluster); namespaces stay unknown.
  }

  function readNamespace(name: string): Promise<void> {
    const known = namespaces.get(name);
    if (known?.reading) return known.reading;
    if (known && known.dueAt > now()) return Promise.resolve();
    const entry: CachedNamespace = known ?? { excluded: false, dueAt: 0 };
    namespaces.set(name, entry);
    entry.reading = (async () => {
      try {
        if (!core) throw new Error('no usable kubeconfig');
        const signal = AbortSignal.any([closing.signal, AbortSignal.timeout(NAMESPACE_READ_TIMEOUT_MS)]);
        const namespace = await core.readNamespace({ name }, withSignal(signal));
        entry.excluded = namespace.metadata?.annotations?.[EXCLUDE_ANNOTATION] === 'true';
        entry.dueAt = now() + NAMESPACE_REFRESH_MS;
      } catch (err) {
        // Not fatal: the namespace keeps what we knew (not excluded when we never knew).
        entry.dueAt = now() + NAMESPACE_RETRY_MS;
        if (!closing.signal.aborted) reportError(kubeApiError(`read namespace ${name}`, err));
      } finally {
        entry.reading = undefined;
      }
    })();
    return entry.reading;
  }

  function remember(pod: V1Pod): string | undefined {
    const { namespace, name, uid, labels, annotations } = pod.metadata ?? {};
    if (!namespace || !name) return undefined;
    pods.set(`${namespace}/${name}`, {
      uid: uid ?? '',
      node: pod.spec?.nodeName ?? options.nodeName,
      labels: { ...labels },
      annotations: selectAnnotations(annotations ?? {}),
      excluded: annotations?.[EXCLUDE_ANNOTATION] === 'true',
    });
    return namespace;
  }

  function markDeleted(key: string): void {
    const cached = pods.get(key);
    if (cached && cached.deletedAt === undefined) cached.deletedAt = now();
  }

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const readyTimer = setTimeout(() => {
    if (!listed) log.info(`pod metadata: no answer from the Kubernetes API within ${readyTimeoutMs} ms; sources get labels once it does`);
    markReady();
  }, readyTimeoutMs);
  // Not unref'd: the collector waits on `ready` before anything else holds the process open.

  const podWatch = startPodWatch({
    kubeConfig: options.kubeConfig,
    nodeName: options.nodeName,
    retry: options.retry,
    handlers: {
      onList(items) {
        const present = new Set<string>();
        const namespacesSeen = new Set<string>();
        for (const pod of items) {
          const namespace = remember(pod);
          if (namespace === undefined) continue;
          present.add(`${namespace}/${pod.metadata?.name}`);
          namespacesSeen.add(namespace);
        }
        // Pods missing from a fresh list were deleted while we were not watching.
        for (const key of pods.keys()) if (!present.has(key)) markDeleted(key);
        const reads = [...namespacesSeen].map(readNamespace);
        if (failing) log.info(`pod metadata: the Kubernetes API answers again (${items.length} pods on ${options.nodeName})`);
        else if (!listed) log.info(`pod metadata: ${items.length} pods on ${options.nodeName}`);
        failing = false;
        listed = true;
        // Exclusion should hold from the first batch, so ready waits for the namespaces too.
        void Promise.all(reads).then(() => {
          clearTimeout(readyTimer);
          markReady();
        });
      },
      onEvent(type: PodEventType, pod: V1Pod) {
        if (type === 'DELETED') {
          markDeleted(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
          return;
        }
        const namespace = remember(pod);
        if (namespace !== undefined) void readNamespace(namespace);
      },
      onError(err) {
        reportError(err);
        if (!failing) log.error(`pod metadata: ${errorMessage(err)}; retrying with backoff`);
        failing = true;
      },
    },
  });

  function sweep(): void {
    const at = now();
    const inUse = new Set<string>();
    for (const [key, pod] of pods) {
      if (pod.deletedAt !== undefined && at - pod.deletedAt >= graceMs) pods.delete(key);
      else inUse.add(key.slice(0, key.indexOf('/')));
    }
    // A namespace is only asked about for its pods; when none are left, neither is its entry.
    for (const [name, entry] of namespaces) if (!inUse.has(name) && !entry.reading) namespaces.delete(name);
  }
  const sweepTimer = setInterval(sweep, Math.min(MAX_SWEEP_INTERVAL_MS, Math.max(MIN_SWEEP_INTERVAL_MS, graceMs / 2)));
  sweepTimer.unref();

  return {
    ready,
    lookup(namespace, pod): Partial<SourceMeta> | undefined {
      // Pod-level metadata: the same for every container of the pod, so the container is not asked.
      const cached = pods.get(`${namespace}/${pod}`);
      if (!cached) return undefined;
      return { podUid: cached.uid, node: cached.node, labels: { ...cached.labels }, annotations: { ...cached.annotations } };
    },
    isExcluded(namespace, pod) {
      const cached = pods.get(`${namespace}/${pod}`);
      const ns = namespaces.get(namespace);
      // Keeps an annotation added to the namespace later from going unnoticed; cheap when fresh.
      if (cached && (!ns || ns.dueAt <= now())) void readNamespace(namespace);
      return (cached?.excluded ?? false) || (ns?.excluded ?? false);
    },
    podCount: () => pods.size,
    async close() {
      closing.abort();
      clearInterval(sweepTimer);
      clearTimeout(readyTimer);
      markReady();
      await podWatch.stop();
      await Promise.all([...namespaces.values()].map((entry) => entry.reading));
    },
  };
}

function annotationSelector(keys: readonly string[], prefixes: readonly string[]) {
  const exact = new Set(keys);
  return (annotations: Record<string, string>): Record<string, string> => {
    const selected: Record<string, string> = {};
    let count = 0;
    for (const [key, value] of Object.entries(annotations)) {
      if (count >= MAX_ANNOTATIONS) break;
      if (!exact.has(key) && !prefixes.some((prefix) => key.startsWith(prefix))) continue;
      selected[key] = value.slice(0, MAX_ANNOTATION_VALUE_CHARS);
      count++;
    }
    return selected;
  };
}

/**
 * The cluster to ask, from the environment: KUBECONFIG when set (an explicit choice wins), else
 * the pod's service account when running in a cluster (KUBERNETES_SERVICE_HOST), else none.
 * loadFromCluster itself reads process.env, not `env`.
 */
export function loadKubeConfig(env: Readonly<Record<string, string | undefined>>): KubeConfig | undefined {
  const kubeConfig = new KubeConfig();
  const file = env.KUBECONFIG?.split(path.delimiter).find((entry) => entry.trim() !== '');
  if (file) {
    try {
      kubeConfig.loadFromFile(file);
    } catch (err) {
      throw new ConfigError('KUBECONFIG', `cannot load ${file}: ${errorMessage(err)}`);
    }
    return kubeConfig;
  }
  if (env.KUBERNETES_SERVICE_HOST) {
    kubeConfig.loadFromCluster();
    return kubeConfig;
  }
  return undefined;
}
