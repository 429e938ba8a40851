// A Loki stream's labels → its source, and the per-line labels that are not part of it. Shippers
// name the Kubernetes labels differently (Alloy and Promtail's usual relabelling: namespace, pod,
// container; Fluent Bit's kubernetes filter: namespace_name, pod_name, container_name; OTel's
// conventions with underscores: k8s_namespace_name …): each built-in field takes the first present.
import { type Level, levelFromValue } from '../extract-level';
import type { EntryBuilder } from './entry-builder';
import { parseLabels } from './loki-labels';
import { type FieldNames, type SourceFields, sourceFieldsOf, sourceKeyOf } from './source-meta';

export const LOKI_SOURCE_FIELDS: FieldNames = {
  node: ['node', 'node_name', 'nodename', 'k8s_node_name', 'kubernetes_node_name', 'host', 'hostname', 'kubernetes_host'],
  namespace: ['namespace', 'namespace_name', 'k8s_namespace_name', 'kubernetes_namespace_name'],
  pod: ['pod', 'pod_name', 'k8s_pod_name', 'kubernetes_pod_name'],
  podUid: ['pod_uid', 'pod_id', 'k8s_pod_uid', 'kubernetes_pod_uid'],
  container: ['container', 'container_name', 'k8s_container_name', 'kubernetes_container_name'],
  containerId: ['container_id', 'docker_id', 'k8s_container_id', 'kubernetes_container_id'],
};

/** Labels that describe a line, not where it came from: they set its stream or level. */
const STREAM_LABEL = 'stream';
const LEVEL_LABELS = ['level', 'detected_level', 'severity', 'lvl'];

export interface LokiStream {
  source: number;
  stderr: boolean;
  level: Level | null;
}

export function streamOf(labels: Map<string, string>, builder: EntryBuilder, where: string): LokiStream {
  const { key, fields, stderr, level } = describe(labels, where);
  return { source: builder.sourceOf(key, () => fields, where), stderr, level };
}

interface StreamDescription {
  key: string;
  fields: SourceFields;
  stderr: boolean;
  level: Level | null;
}

function describe(labels: Map<string, string>, where: string): StreamDescription {
  const identity = new Map(labels);
  identity.delete(STREAM_LABEL);
  for (const name of LEVEL_LABELS) identity.delete(name);
  return {
    key: sourceKeyOf('loki', identity),
    fields: sourceFieldsOf(identity, LOKI_SOURCE_FIELDS, {}, where),
    stderr: labels.get(STREAM_LABEL) === 'stderr',
    level: levelOfLabels(labels),
  };
}

/**
 * Streams by their labels' text, as the protobuf form sends them: a shipper sends the same streams
 * in every request, and parsing, hashing and mapping them again cost a tenth of a request's
 * decoding. Bounded; per decoding thread.
 */
const knownStreams = new Map<string, StreamDescription>();
const MAX_KNOWN_STREAMS = 10_000;
/** Longer label sets are parsed each time: the cache holds at most ~40 MB of keys. */
const MAX_KNOWN_STREAM_CHARS = 4096;

export function streamOfText(text: string, builder: EntryBuilder, where: string): LokiStream {
  let known = knownStreams.get(text);
  if (known === undefined) {
    known = describe(parseLabels(text, where), where);
    if (text.length <= MAX_KNOWN_STREAM_CHARS) {
      if (knownStreams.size >= MAX_KNOWN_STREAMS) knownStreams.clear();
      knownStreams.set(text, known);
    }
  }
  const { key, fields, stderr, level } = known;
  return { source: builder.sourceOf(key, () => fields, where), stderr, level };
}

/** The level a line's labels or structured metadata name, if any. */
export function levelOfLabels(labels: ReadonlyMap<string, string>): Level | null {
  for (const name of LEVEL_LABELS) {
    const value = labels.get(name);
    if (value !== undefined) {
      const level = levelFromValue(value);
      if (level !== 'unknown') return level;
    }
  }
  return null;
}
