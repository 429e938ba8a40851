// A shipper's description of where a line came from (OTLP resource attributes, Loki stream
// labels) → the source a Logpond collector would have sent: the Kubernetes fields a click filters
// on, and labels for the rest. Pure: both protocol decoders call it once per resource or stream.
import { createHash } from 'node:crypto';
import type { SourceMeta } from '../../../common/ingest-batch';
import { BadRequestError } from '../../errors';

/** As for a collector's batch (validate-batch.ts): names, label keys and values are bounded. */
const MAX_NAME = 512;
const MAX_LABEL_VALUE = 64 * 1024;
/** A source's attributes or labels, at most, and their text together: metadata, not a payload. */
export const MAX_SOURCE_PAIRS = 256;
export const MAX_SOURCE_CHARS = 256 * 1024;

export type SourceFields = Omit<SourceMeta, 'key'>;

/** The built-in source fields, each filled from the first of its attribute or label names present. */
export interface FieldNames {
  node: readonly string[];
  namespace: readonly string[];
  pod: readonly string[];
  podUid: readonly string[];
  container: readonly string[];
  containerId: readonly string[];
}

const BUILT_IN = ['node', 'namespace', 'pod', 'podUid', 'container', 'containerId'] as const;

/**
 * The source for a set of name → value pairs: built-in fields from `names`, labels and
 * annotations from the given prefixes (`k8s.pod.label.app` → label `app`), and every other pair
 * as a label under its own name, so `labels.service.name:checkout` finds it.
 */
export function sourceFieldsOf(
  pairs: ReadonlyMap<string, string>,
  names: FieldNames,
  prefixes: { label?: string; annotation?: string },
  where: string,
): SourceFields {
  if (pairs.size > MAX_SOURCE_PAIRS) {
    throw new BadRequestError(`${where}: ${pairs.size} attributes or labels; a source may have at most ${MAX_SOURCE_PAIRS}`, 'invalid_source');
  }
  let chars = 0;
  for (const [name, value] of pairs) chars += name.length + value.length;
  if (chars > MAX_SOURCE_CHARS) {
    throw new BadRequestError(`${where}: the attributes or labels hold ${chars} characters; a source may hold at most ${MAX_SOURCE_CHARS}`, 'invalid_source');
  }
  // Records without a prototype: a label named __proto__ is a label like any other.
  const fields: SourceFields = { node: '', namespace: '', pod: '', podUid: '', container: '', containerId: '', labels: Object.create(null), annotations: Object.create(null) };
  const used = new Set<string>();
  for (const field of BUILT_IN) {
    for (const name of names[field]) {
      const value = pairs.get(name);
      if (value === undefined || value === '') continue;
      fields[field] = bounded(value, MAX_NAME, `${where}: "${name}"`);
      used.add(name);
      break;
    }
  }
  for (const [name, value] of pairs) {
    if (used.has(name)) continue;
    if (prefixes.label && name.startsWith(prefixes.label) && name.length > prefixes.label.length) {
      fields.labels[bounded(name.slice(prefixes.label.length), MAX_NAME, `${where}: a label name`)] = bounded(value, MAX_LABEL_VALUE, `${where}: "${name}"`);
    } else if (prefixes.annotation && name.startsWith(prefixes.annotation) && name.length > prefixes.annotation.length) {
      fields.annotations[bounded(name.slice(prefixes.annotation.length), MAX_NAME, `${where}: an annotation name`)] = bounded(value, MAX_LABEL_VALUE, `${where}: "${name}"`);
    } else {
      fields.labels[bounded(name, MAX_NAME, `${where}: a label name`)] = bounded(value, MAX_LABEL_VALUE, `${where}: "${name}"`);
    }
  }
  return fields;
}

/**
 * A stable key for a source described by these pairs: the same pairs in any order give the same
 * key, so a resource or stream is one source across requests, and across server restarts.
 */
export function sourceKeyOf(protocol: string, pairs: ReadonlyMap<string, string>): string {
  const sorted = [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${protocol}:${createHash('sha256').update(JSON.stringify(sorted)).digest('base64url').slice(0, 22)}`;
}

function bounded(text: string, max: number, what: string): string {
  if (text.length > max) throw new BadRequestError(`${what} is ${text.length} characters long; at most ${max}`, 'invalid_source');
  return text;
}
