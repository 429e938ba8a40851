// A field of a hit by the name the query language and the table use for it. The page's table
// and the export's CSV columns show the same value for the same name.
import type { Hit, SourceInfo } from './read-api';

/**
 * Longest stored value of an extracted field, in UTF-16 units: ingest cuts longer ones (the whole
 * line stays in the message). Fields exist to filter and to count top values, and a stack trace
 * is neither.
 */
export const MAX_FIELD_VALUE_CHARS = 1024;

/** Whether a field's value may have been cut at ingest (a cut may stop one short of a surrogate pair). */
export function mayBeCut(value: string): boolean {
  return value.length >= MAX_FIELD_VALUE_CHARS - 1;
}

/** The value shown for field `name`: built-ins, `labels.*`, or an extracted field. */
export function fieldValue(hit: Hit, source: SourceInfo | undefined, name: string): string | undefined {
  if (name === 'stream' || name === 'level' || name === 'message') return hit[name];
  if (source && (name === 'namespace' || name === 'pod' || name === 'container' || name === 'node')) return source[name];
  if (name.startsWith('labels.')) return source?.labels[name.slice('labels.'.length)];
  if (!Object.hasOwn(hit.fields, name)) return undefined;
  const value = hit.fields[name];
  return typeof value === 'string' ? value : JSON.stringify(value);
}
