// A field of a hit by the name the query language and the table use for it. The page's table
// and the export's CSV columns show the same value for the same name.
import type { Hit, SourceInfo } from './read-api';

/** The value shown for field `name`: built-ins, `labels.*`, or an extracted field. */
export function fieldValue(hit: Hit, source: SourceInfo | undefined, name: string): string | undefined {
  if (name === 'stream' || name === 'level' || name === 'message') return hit[name];
  if (source && (name === 'namespace' || name === 'pod' || name === 'container' || name === 'node')) return source[name];
  if (name.startsWith('labels.')) return source?.labels[name.slice('labels.'.length)];
  if (!Object.hasOwn(hit.fields, name)) return undefined;
  const value = hit.fields[name];
  return typeof value === 'string' ? value : JSON.stringify(value);
}
