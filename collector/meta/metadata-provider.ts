// Where a source's pod metadata (uid, labels, annotations, node) comes from. The file name only
// gives namespace, pod, container and container id; a provider adds the rest. Demo mode uses
// the demo writer's pod list; a Kubernetes informer cache will implement the same interface.
import type { SourceMeta } from '../../common/ingest-batch';

export interface MetadataProvider {
  lookup(namespace: string, pod: string, containerName: string, containerId: string): Partial<SourceMeta> | undefined;
  /** True when the pod (or its namespace) asked not to be collected: annotation logpond.io/exclude: "true". Unknown pods are not excluded. */
  isExcluded?(namespace: string, pod: string): boolean;
  /** Resolves once the first list is in (or after it was given up on); never rejects. */
  ready?: Promise<void>;
  close?(): Promise<void>;
}

/** The annotation a pod (or namespace) carries to be left out. */
export const EXCLUDE_ANNOTATION = 'logpond.io/exclude';

/** What a provider needs to know of a pod; the demo writer's DemoPod has this shape. */
export interface KnownPod {
  namespace: string;
  name: string;
  uid: string;
  node: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  containers: ReadonlyArray<{ name: string; id: string }>;
}

/** A provider over a fixed list of pods (demo mode, tests). */
export function podListProvider(pods: readonly KnownPod[]): MetadataProvider {
  const byName = new Map(pods.map((pod) => [`${pod.namespace}/${pod.name}`, pod]));
  return {
    lookup(namespace, pod) {
      const known = byName.get(`${namespace}/${pod}`);
      if (!known) return undefined;
      return {
        podUid: known.uid,
        node: known.node,
        labels: { ...known.labels },
        annotations: { ...known.annotations },
      };
    },
    isExcluded(namespace, pod) {
      return byName.get(`${namespace}/${pod}`)?.annotations[EXCLUDE_ANNOTATION] === 'true';
    },
  };
}
