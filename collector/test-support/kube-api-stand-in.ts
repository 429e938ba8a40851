// A stand-in for the parts of the Kubernetes API the collector uses, on 127.0.0.1, so tests run
// the real @kubernetes/client-node against it: list and watch pods (honouring the
// spec.nodeName field selector and resourceVersion, with 410 Gone once history is compacted)
// and read a namespace. It can refuse (stop listening, or answer an error status) and come back.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface StandInPodSpec {
  namespace: string;
  name: string;
  node: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  containers?: string[];
}

/** The JSON the stand-in serves for a pod: the fields a real one has that the collector reads. */
export interface PodObject {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: { nodeName: string; containers: Array<{ name: string; image: string }> };
  status: { phase: string };
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

interface HistoryEvent {
  version: number;
  type: EventType;
  object: PodObject;
  /** The pod before a MODIFIED, to tell whether it entered or left a field selector. */
  before?: PodObject;
}

interface OpenWatch {
  response: http.ServerResponse;
  node: string | undefined;
}

export interface KubeApiStandIn {
  url: string;
  token: string;
  /** Requests served (or refused) by kind. */
  requests: { list: number; watch: number; namespace: number };
  /** The fieldSelector of every pod list and watch, in order ('' when there was none). */
  podFieldSelectors: string[];
  addPod(spec: StandInPodSpec): PodObject;
  updatePod(namespace: string, name: string, change: { labels?: Record<string, string>; annotations?: Record<string, string> }): void;
  deletePod(namespace: string, name: string): void;
  /** addPod creates a missing namespace (without annotations), as a pod cannot exist without one. */
  setNamespace(name: string, annotations?: Record<string, string>): void;
  deleteNamespace(name: string): void;
  openWatches(): number;
  /** Ends every open watch stream cleanly, as an API server restart or a proxy timeout would. */
  dropWatches(): void;
  /** Forgets the event history: a watch from an older resourceVersion is told 410 Gone. */
  compact(): void;
  /** Answers every request with this status until called with undefined. */
  failWith(status: number | undefined): void;
  /** Closes the port and every connection; resume() listens on the same port again. */
  stop(): Promise<void>;
  resume(): Promise<void>;
  /** Writes a kubeconfig for this stand-in (token user, plain HTTP) and returns its path. */
  writeKubeconfig(dir: string): Promise<string>;
  close(): Promise<void>;
}

const NODE_SELECTOR = /^spec\.nodeName==?(.*)$/;

export async function startKubeApiStandIn(options: { token?: string } = {}): Promise<KubeApiStandIn> {
  const token = options.token ?? 'stand-in-token';
  const pods = new Map<string, PodObject>();
  const namespaces = new Map<string, Record<string, string>>();
  const history: HistoryEvent[] = [];
  const watches = new Set<OpenWatch>();
  let version = 1;
  let compactedBefore = 0;
  let failing: number | undefined;
  const requests = { list: 0, watch: 0, namespace: 0 };
  const podFieldSelectors: string[] = [];

  const reply = (response: http.ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const status = (code: number, reason: string, message: string) => ({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  const onNode = (pod: PodObject, node: string | undefined) => node === undefined || pod.spec.nodeName === node;

  /** The event as a watch with this selector sees it: a pod moving into or out of it is ADDED or DELETED. */
  function asSeenBy(event: HistoryEvent, node: string | undefined): { type: EventType; object: PodObject } | undefined {
    const now = onNode(event.object, node);
    if (event.type !== 'MODIFIED') return now ? event : undefined;
    const before = event.before !== undefined && onNode(event.before, node);
    if (before && now) return event;
    if (now) return { type: 'ADDED', object: event.object };
    if (before) return { type: 'DELETED', object: event.object };
    return undefined;
  }

  function record(type: EventType, object: PodObject, before?: PodObject): void {
    const event: HistoryEvent = { version: Number(object.metadata.resourceVersion), type, object, before };
    history.push(event);
    for (const watch of watches) {
      const seen = asSeenBy(event, watch.node);
      if (seen) watch.response.write(`${JSON.stringify(seen)}\n`);
    }
  }

  function nodeFromSelector(query: URLSearchParams): { node: string | undefined } | undefined {
    const selector = query.get('fieldSelector') ?? '';
    podFieldSelectors.push(selector);
    if (selector === '') return { node: undefined };
    const match = NODE_SELECTOR.exec(selector);
    return match ? { node: match[1] } : undefined;
  }

  function servePods(query: URLSearchParams, response: http.ServerResponse): void {
    const isWatch = query.get('watch') === 'true' || query.get('watch') === '1';
    if (isWatch) requests.watch++;
    else requests.list++;
    const selector = nodeFromSelector(query);
    if (!selector) {
      return reply(response, 400, status(400, 'BadRequest', `field label not supported: ${query.get('fieldSelector')}`));
    }
    const matching = () => [...pods.values()].filter((pod) => onNode(pod, selector.node));
    if (!isWatch) {
      return reply(response, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(version) },
        items: matching(),
      });
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.flushHeaders();
    const from = query.get('resourceVersion') ?? '';
    if (from === '' || from === '0') {
      // Like the real server: no version means "the current state as ADDED events, then changes".
      for (const pod of matching()) response.write(`${JSON.stringify({ type: 'ADDED', object: pod })}\n`);
    } else if (Number(from) < compactedBefore) {
      const gone = status(410, 'Expired', `too old resource version: ${from} (${compactedBefore})`);
      response.end(`${JSON.stringify({ type: 'ERROR', object: gone })}\n`);
      return;
    } else {
      for (const event of history) {
        const seen = event.version > Number(from) ? asSeenBy(event, selector.node) : undefined;
        if (seen) response.write(`${JSON.stringify(seen)}\n`);
      }
    }
    const watch: OpenWatch = { response, node: selector.node };
    watches.add(watch);
    response.on('close', () => watches.delete(watch));
  }

  function serveNamespace(name: string, response: http.ServerResponse): void {
    requests.namespace++;
    const annotations = namespaces.get(name);
    if (!annotations) return reply(response, 404, status(404, 'NotFound', `namespaces "${name}" not found`));
    reply(response, 200, {
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name, uid: `ns-${name}`, resourceVersion: String(version), annotations },
      status: { phase: 'Active' },
    });
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const namespaceMatch = /^\/api\/v1\/namespaces\/([^/]+)$/.exec(url.pathname);
    if (failing !== undefined) {
      if (url.pathname === '/api/v1/pods') {
        if (url.searchParams.get('watch') === 'true') requests.watch++;
        else requests.list++;
      } else if (namespaceMatch) requests.namespace++;
      return reply(response, failing, status(failing, 'InternalError', 'told to fail'));
    }
    if (request.headers.authorization !== `Bearer ${token}`) {
      return reply(response, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    if (request.method === 'GET' && url.pathname === '/api/v1/pods') return servePods(url.searchParams, response);
    if (request.method === 'GET' && namespaceMatch) return serveNamespace(decodeURIComponent(namespaceMatch[1]), response);
    reply(response, 404, status(404, 'NotFound', `${request.method} ${url.pathname} is not served by the stand-in`));
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  async function stop(): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    watches.clear();
    await closed;
  }

  const bump = (pod: PodObject): PodObject => ({ ...pod, metadata: { ...pod.metadata, resourceVersion: String(++version) } });
  const podKey = (namespace: string, name: string) => `${namespace}/${name}`;
  const existing = (namespace: string, name: string): PodObject => {
    const pod = pods.get(podKey(namespace, name));
    if (!pod) throw new Error(`the stand-in has no pod ${namespace}/${name}`);
    return pod;
  };

  return {
    url,
    token,
    requests,
    podFieldSelectors,
    addPod(spec) {
      const pod = bump({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: spec.name,
          namespace: spec.namespace,
          uid: spec.uid ?? randomUUID(),
          resourceVersion: '',
          creationTimestamp: new Date().toISOString(),
          labels: { ...spec.labels },
          annotations: { ...spec.annotations },
        },
        spec: {
          nodeName: spec.node,
          containers: (spec.containers ?? ['main']).map((name) => ({ name, image: `example.org/${name}:1` })),
        },
        status: { phase: 'Running' },
      });
      pods.set(podKey(spec.namespace, spec.name), pod);
      if (!namespaces.has(spec.namespace)) namespaces.set(spec.namespace, {});
      record('ADDED', pod);
      return pod;
    },
    updatePod(namespace, name, change) {
      const before = existing(namespace, name);
      const after = bump({
        ...before,
        metadata: {
          ...before.metadata,
          labels: change.labels ?? before.metadata.labels,
          annotations: change.annotations ?? before.metadata.annotations,
        },
      });
      pods.set(podKey(namespace, name), after);
      record('MODIFIED', after, before);
    },
    deletePod(namespace, name) {
      const pod = bump(existing(namespace, name));
      pods.delete(podKey(namespace, name));
      record('DELETED', pod);
    },
    setNamespace(name, annotations = {}) {
      namespaces.set(name, { ...annotations });
    },
    deleteNamespace(name) {
      namespaces.delete(name);
    },
    openWatches: () => watches.size,
    dropWatches() {
      for (const watch of watches) watch.response.end();
      watches.clear();
    },
    compact() {
      // Versions older than the next one are gone; a list answers with that next one.
      compactedBefore = ++version;
      history.length = 0;
    },
    failWith(code) {
      failing = code;
    },
    stop,
    resume: () => listen(port),
    async writeKubeconfig(dir) {
      const file = path.join(dir, 'kubeconfig.yaml');
      await fs.writeFile(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'clusters:',
          '  - name: stand-in',
          '    cluster:',
          `      server: ${url}`,
          // client-node refuses plain HTTP unless TLS verification is off.
          '      insecure-skip-tls-verify: true',
          'users:',
          '  - name: stand-in',
          '    user:',
          `      token: ${token}`,
          'contexts:',
          '  - name: stand-in',
          '    context:',
          '      cluster: stand-in',
          '      user: stand-in',
          'current-context: stand-in',
          '',
        ].join('\n'),
      );
      return file;
    },
    async close() {
      if (server.listening) await stop();
    },
  };
}
