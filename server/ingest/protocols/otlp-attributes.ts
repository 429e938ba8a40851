// OTLP's shared pieces, for both encodings: which resource attributes are a source's Kubernetes
// fields, how a severity becomes a level, and how an attribute value becomes a field value.
import { flattenJson, type Fields } from '../extract-fields';
import { levelFromValue, type Level } from '../extract-level';
import type { FieldNames } from './source-meta';

/** The Kubernetes attributes the Collector's k8sattributes processor and the SDKs' detectors set. */
export const OTLP_SOURCE_FIELDS: FieldNames = {
  node: ['k8s.node.name', 'host.name'],
  namespace: ['k8s.namespace.name'],
  pod: ['k8s.pod.name'],
  podUid: ['k8s.pod.uid'],
  container: ['k8s.container.name'],
  containerId: ['container.id'],
};

export const OTLP_LABEL_PREFIXES = { label: 'k8s.pod.label.', annotation: 'k8s.pod.annotation.' };

/** The Collector's container parser puts stdout/stderr here (filelog receiver). */
const IOSTREAM_ATTRIBUTE = 'log.iostream';

/**
 * The record's output stream, taken out of its attributes: it is the entry's `stream`, as for a
 * collector's line, not a field beside it.
 */
export function streamAttribute(attributes: Record<string, AttributeValue> | null): 'stdout' | 'stderr' {
  if (attributes === null) return 'stdout';
  const stream = attributes[IOSTREAM_ATTRIBUTE];
  // Unset rather than deleted, which would slow the object down; flattening skips it.
  if (stream === 'stdout' || stream === 'stderr') attributes[IOSTREAM_ATTRIBUTE] = undefined as unknown as AttributeValue;
  return stream === 'stderr' ? 'stderr' : 'stdout';
}

/** What an AnyValue holds, as JavaScript: bytes as base64, maps as objects. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

/**
 * An empty attribute map whose prototype chain holds nothing, so no key reaches a setter; a child
 * of a frozen null-prototype object stays a fast object where Object.create(null) would not
 * (see extract-fields.ts, newFields).
 */
export function newAttributes(): Record<string, AttributeValue> {
  return Object.create(EMPTY_PROTOTYPE) as Record<string, AttributeValue>;
}

const EMPTY_PROTOTYPE: object = Object.freeze(Object.create(null));

/** SeverityNumber ranges of the OTLP data model: 1-4 TRACE … 21-24 FATAL. */
export function levelOfSeverity(number: number, text: string): Level | null {
  if (number >= 1 && number <= 24) return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((number - 1) / 4)];
  if (text !== '') {
    const level = levelFromValue(text);
    if (level !== 'unknown') return level;
  }
  return null;
}

/** A resource attribute as a label value: text as is, anything else as its JSON. */
export function labelText(value: AttributeValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A body as a message: a string as is, a map or array as JSON (whose fields extraction then finds). */
export function messageText(body: AttributeValue | undefined): string {
  if (body === undefined || body === null) return '';
  return typeof body === 'string' ? body : typeof body === 'object' ? JSON.stringify(body) : String(body);
}

/** A record's attributes and trace context as fields, flattened as a JSON line's are. */
export function recordFields(attributes: Record<string, AttributeValue> | null, traceId: string, spanId: string): Fields | null {
  let fields = attributes === null ? null : flattenJson(attributes);
  if (traceId !== '' || spanId !== '') {
    fields = { ...fields };
    if (traceId !== '') fields.trace_id = traceId;
    if (spanId !== '') fields.span_id = spanId;
  }
  return fields;
}
