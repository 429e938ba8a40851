// GET /api/values: the most frequent values of one field among the matching entries in the time
// range, optionally only those starting with `prefix` (case-insensitive), for autocomplete.
import type { QueryNode } from '../query/ast';
import { classifyField } from '../query/fields';
import type { MicrosRange, StorageView, ValueCount } from '../store/log-storage';

export const DEFAULT_VALUES_LIMIT = 10;
export const MAX_VALUES_LIMIT = 100;

export type { ValueCount };

export async function fieldValues(
  view: StorageView,
  query: QueryNode,
  range: MicrosRange,
  field: string,
  prefix: string,
  limit: number,
): Promise<ValueCount[]> {
  const kind = classifyField(field);
  const lowerPrefix = prefix.toLowerCase();
  const counts = new Map<string, number>();
  const add = (value: string, n: number) => {
    if (value.toLowerCase().startsWith(lowerPrefix)) counts.set(value, (counts.get(value) ?? 0) + n);
  };
  switch (kind.kind) {
    case 'message':
      return []; // free text has no useful "values"
    case 'source':
    case 'label': {
      // Everything a source's lines share is counted per source, then mapped to the field.
      const groups = await view.tally({ query, range, by: [] });
      const sources = await view.sources(groups.map((g) => g.sourceId));
      for (const group of groups) {
        const source = sources[String(group.sourceId)];
        if (!source) continue;
        const value = kind.kind === 'source' ? source[kind.column] : source.labels[kind.key];
        if (typeof value === 'string') add(value, group.n);
      }
      break;
    }
    case 'entry':
    case 'extracted': {
      const target = kind.kind === 'entry' ? ({ kind: 'entry', column: kind.column } as const) : ({ kind: 'extracted', path: kind.path } as const);
      for (const v of await view.values({ query, range, target, prefix: lowerPrefix, limit })) add(v.value, v.count);
      break;
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}
