// List + watch of the pods on one node, like an informer, on client-node's own CoreV1Api and
// Watch. Its ListWatch would take a fieldSelector (6th constructor argument) but stops for good
// on any error, re-watches at once after a clean close (a server that closes at once is a hot
// loop), and can open a watch after stop() when stop() lands during a list; so the loop is ours.
import { CoreV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { httpStatus, kubeApiError, withSignal } from './kube-api';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface PodWatchHandlers {
  /** A complete list: every pod on the node now. Pods missing from it are gone. */
  onList(pods: readonly V1Pod[]): void;
  onEvent(type: PodEventType, pod: V1Pod): void;
  /** A list or watch failed; the loop waits (backoff) and lists again. */
  onError(err: unknown): void;
}

export interface PodWatchOptions {
  kubeConfig: KubeConfig;
  nodeName: string;
  handlers: PodWatchHandlers;
  retry?: { baseDelayMs?: number; maxDelayMs?: number };
}

export interface PodWatch {
  stop(): Promise<void>;
}

const PODS_PATH = '/api/v1/pods';
const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_RETRY_MAX_MS = 30_000;
// The server ends each watch after this long, like client-go's 5–10 min, so a connection that
// died without a FIN is replaced even if TCP keepalive never notices.
const WATCH_TIMEOUT_S = 5 * 60;
// Our own guard on top: client-node 1.4's Watch builds a 30 s timeout signal, then overwrites it.
const WATCH_STALL_MS = (WATCH_TIMEOUT_S + 60) * 1000;
// A list of one node's pods (≤ 110 by default) is small; a minute means the server is stuck.
const LIST_TIMEOUT_MS = 60_000;
// A watch that ends sooner than this without an event counts as a failure, so a server that
// closes every watch at once gets the backoff instead of a hot loop.
const HEALTHY_WATCH_MS = 1_000;

/** How a watch ended; `healthy` when it delivered events or lasted, so backoff starts over. */
interface WatchEnd {
  kind: 'closed' | 'gone' | 'failed';
  healthy: boolean;
  err?: unknown;
}

export function startPodWatch(options: PodWatchOptions): PodWatch {
  const { handlers, nodeName } = options;
  const baseDelayMs = options.retry?.baseDelayMs ?? DEFAULT_RETRY_BASE_MS;
  const maxDelayMs = options.retry?.maxDelayMs ?? DEFAULT_RETRY_MAX_MS;
  const fieldSelector = `spec.nodeName=${nodeName}`;
  const stopping = new AbortController();
  // What to cut short on stop; each entry removes itself when done, so the set stays small.
  const onStop = new Set<() => void>();
  stopping.signal.addEventListener('abort', () => {
    for (const fn of onStop) fn();
    onStop.clear();
  });

  let core: CoreV1Api;
  let watch: Watch;
  let resourceVersion = '';

  async function list(): Promise<void> {
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(LIST_TIMEOUT_MS)]);
    const podList = await core.listPodForAllNamespaces({ fieldSelector }, withSignal(signal));
    if (stopping.signal.aborted) return;
    handlers.onList(podList.items);
    resourceVersion = podList.metadata?.resourceVersion ?? '';
  }

  function watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      const startedAt = Date.now();
      let controller: AbortController | undefined;
      let sawEvent = false;
      let streamError: unknown;
      let settled = false;
      const healthy = () => sawEvent || Date.now() - startedAt >= HEALTHY_WATCH_MS;
      const settle = (kind: WatchEnd['kind'], err?: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(stallTimer);
        onStop.delete(cancel);
        controller?.abort();
        resolve({ kind, err, healthy: healthy() });
      };
      const stallTimer = setTimeout(() => settle('failed', new Error(`the pod watch did not end after ${WATCH_STALL_MS} ms`)), WATCH_STALL_MS);
      stallTimer.unref();
      const cancel = () => settle('closed');
      onStop.add(cancel);

      const query = { fieldSelector, resourceVersion, allowWatchBookmarks: true, timeoutSeconds: WATCH_TIMEOUT_S };
      const onEvent = (type: string, object: unknown) => {
        if (settled) return;
        if (type === 'ERROR') {
          // A Status in the stream; 410 means our resourceVersion was compacted away: list again.
          streamError = object;
          return;
        }
        const pod = object as V1Pod;
        resourceVersion = pod.metadata?.resourceVersion ?? resourceVersion;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          sawEvent = true;
          handlers.onEvent(type, pod);
        }
      };
      const onDone = (err: unknown) => {
        if (err) return settle(httpStatus(err) === 410 ? 'gone' : 'failed', err);
        if (streamError === undefined) return settle('closed');
        const code = (streamError as { code?: unknown }).code;
        settle(code === 410 ? 'gone' : 'failed', new Error(statusText(streamError)));
      };
      watch.watch(PODS_PATH, query, onEvent, onDone).then(
        (abort) => {
          // watch() hands the controller over only once response headers arrived, so a watch
          // whose server never answers cannot be aborted; it ends when its socket does.
          controller = abort;
          if (settled) abort.abort();
        },
        (err: unknown) => settle('failed', err),
      );
    });
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        onStop.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      onStop.add(wake);
    });
  }

  const backoff = (failures: number) => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(failures, 20));
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  };

  async function run(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      const listing = !resourceVersion;
      let end: WatchEnd;
      try {
        if (listing) await list();
        if (stopping.signal.aborted) return;
        end = await watchOnce();
      } catch (err) {
        end = { kind: 'failed', err: kubeApiError('list pods', err), healthy: false };
      }
      if (stopping.signal.aborted) return;
      if (end.kind === 'failed') report(kubeApiError('watch pods', end.err));
      // After a failure, list again rather than resume: deletions missed meanwhile then show up
      // as pods missing from the list. After 410 the version is gone and a list is the only way.
      if (end.kind !== 'closed') resourceVersion = '';
      if (end.healthy) failures = 0;
      // A watch that ran its course resumes at once; a 410 right after a list, or any failure,
      // waits, so a server that refuses or closes at once is not hammered.
      const resumeNow = end.healthy && (end.kind === 'closed' || (end.kind === 'gone' && !listing));
      if (!resumeNow) await sleep(backoff(failures++));
    }
  }

  function report(err: unknown): void {
    try {
      handlers.onError(err);
    } catch {
      // A handler's own failure must not end the loop.
    }
  }

  let running: Promise<void>;
  try {
    core = options.kubeConfig.makeApiClient(CoreV1Api);
    watch = new Watch(options.kubeConfig);
    running = run().catch(report);
  } catch (err) {
    // makeApiClient throws on a kubeconfig without a current cluster.
    report(kubeApiError('start pod watch', err));
    running = Promise.resolve();
  }

  return {
    async stop() {
      stopping.abort();
      await running;
    },
  };
}

function statusText(status: unknown): string {
  const { code, message } = (status ?? {}) as { code?: unknown; message?: unknown };
  return `watch error${code === undefined ? '' : ` ${String(code)}`}${typeof message === 'string' ? `: ${message}` : ''}`;
}
