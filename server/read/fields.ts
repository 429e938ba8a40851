// GET /api/fields: every field present in the matching entries, how many have it, and its five
// most frequent values — always within the time range (a field list that scans all history is a
// known cause of slow pages elsewhere).
//
// Built-in fields and pod labels are exact: one grouped scan counts entries per (source, level,
// stream), and a source's namespace, pod, container, node and labels are the same for all its
// lines. Fields extracted from messages are counted over a sample of the newest SAMPLE_SIZE
// matching entries (Kibana samples the same way); each such field says `sampled: true`.
import type { FieldSummary, FieldType, FieldsResponse as FieldList } from '../../common/read-api';
import type { QueryNode } from '../query/ast';
import type { MicrosRange, SourceInfo, StorageView } from '../store/log-storage';
import { parseFields } from './hits';

export { parseFields };

export const SAMPLE_SIZE = 5_000;
const TOP_VALUES = 5;

export type { FieldSummary, FieldType, FieldsResponse as FieldList } from '../../common/read-api';

/** Counts per distinct value, in one pass. */
export class Tally {
  count = 0;
  readonly values = new Map<string, number>();
  types = new Set<string>();

  add(value: string, n: number, type = 'string'): void {
    this.count += n;
    this.values.set(value, (this.values.get(value) ?? 0) + n);
    this.types.add(type);
  }

  top(limit = TOP_VALUES): { value: string; count: number }[] {
    return [...this.values]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([value, count]) => ({ value, count }));
  }
}

export async function fieldList(view: StorageView, query: QueryNode, range: MicrosRange): Promise<FieldList> {
  const groups = await view.tally({ query, range, by: ['level', 'stream'] });
  const sources = await view.sources(groups.map((g) => g.sourceId));
  const tallies = new Map<string, Tally>();
  const tally = (name: string) => {
    let t = tallies.get(name);
    if (!t) tallies.set(name, (t = new Tally()));
    return t;
  };
  let total = 0;
  for (const group of groups) {
    const n = group.n;
    total += n;
    tally('level').add(group.level ?? '', n);
    tally('stream').add(group.stream ?? '', n);
    const source: SourceInfo | undefined = sources[String(group.sourceId)];
    if (!source) continue;
    for (const column of ['namespace', 'pod', 'container', 'node'] as const) tally(column).add(source[column], n);
    for (const [key, value] of Object.entries(source.labels)) tally(`labels.${key}`).add(String(value), n);
  }

  const summaries: FieldSummary[] = [];
  const builtIn = ['namespace', 'pod', 'container', 'node', 'stream', 'level'];
  for (const name of builtIn) {
    const t = tallies.get(name);
    if (t) summaries.push({ name, type: 'keyword', count: t.count, top: t.top() });
  }
  if (total > 0) summaries.push({ name: 'message', type: 'text', count: total, top: [] });
  const labels = [...tallies.keys()].filter((k) => k.startsWith('labels.')).sort();
  for (const name of labels) {
    const t = tallies.get(name)!;
    summaries.push({ name, type: 'keyword', count: t.count, top: t.top() });
  }

  const sample = total === 0 ? [] : await view.sample({ query, range, size: SAMPLE_SIZE, column: 'fields' });
  const extracted = new Map<string, Tally>();
  for (const text of sample) {
    const fields = parseFields(text);
    for (const key of Object.keys(fields)) {
      // A built-in name wins a clash: `level` in a JSON line is not a second `level` field.
      if (builtIn.includes(key) || key === 'message' || key.startsWith('labels.')) continue;
      const value = fields[key];
      let t = extracted.get(key);
      if (!t) extracted.set(key, (t = new Tally()));
      t.add(valueText(value), 1, typeof value);
    }
  }
  for (const name of [...extracted.keys()].sort()) {
    const t = extracted.get(name)!;
    summaries.push({ name, type: typeOf(t.types), count: t.count, top: t.top(), sampled: true });
  }
  return { total, sampleSize: sample.length, fields: summaries };
}

/** A value as the API lists it: strings as they are, numbers and booleans as their JSON text. */
export function valueText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function typeOf(types: Set<string>): FieldType {
  if (types.size === 1 && types.has('number')) return 'number';
  if (types.size === 1 && types.has('boolean')) return 'boolean';
  return 'string';
}
