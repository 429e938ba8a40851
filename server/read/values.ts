// GET /api/values: the most frequent values of one field among the matching entries in the time
// range, optionally only those starting with `prefix` (case-insensitive), for autocomplete.
import { classifyField } from '../query/fields';
import type { CompiledQuery } from '../query/compile';
import { jsonKeyPath } from '../query/compile';
import { sourcesOf } from './hits';
import { type MicrosRange, scanOf } from './scan';
import type { Snapshot } from './snapshot';

export const DEFAULT_VALUES_LIMIT = 10;
export const MAX_VALUES_LIMIT = 100;

export interface ValueCount {
  value: string;
  count: number;
}

export async function fieldValues(
  snapshot: Snapshot,
  filter: CompiledQuery,
  range: MicrosRange,
  field: string,
  prefix: string,
  limit: number,
): Promise<ValueCount[]> {
  const kind = classifyField(field);
  const scan = await scanOf(snapshot, range, filter);
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
      const rows = await snapshot.rows(`SELECT e.source_id AS source, count(*) AS n FROM ${scan.from} WHERE ${scan.where} GROUP BY ALL`, scan.params);
      const sources = await sourcesOf(snapshot, rows.map((r) => Number(r.source)));
      for (const row of rows) {
        const source = sources[String(row.source)];
        if (!source) continue;
        const value = kind.kind === 'source' ? source[kind.column] : source.labels[kind.key];
        if (typeof value === 'string') add(value, Number(row.n));
      }
      break;
    }
    case 'entry':
    case 'extracted': {
      if (kind.kind === 'extracted' && /["\\]/.test(kind.path)) return [];
      const value = kind.kind === 'entry' ? `e.${kind.column}` : `json_extract_string(e.fields, $field_path)`;
      const params = { ...scan.params, prefix: lowerPrefix, ...(kind.kind === 'extracted' ? { field_path: jsonKeyPath(kind.path) } : {}) };
      const rows = await snapshot.rows(
        `SELECT v AS value, count(*) AS n FROM (SELECT ${value} AS v FROM ${scan.from} WHERE ${scan.where})
          WHERE v IS NOT NULL AND starts_with(lower(v), $prefix) GROUP BY v ORDER BY n DESC, v LIMIT ${Math.trunc(limit)}`,
        params,
      );
      for (const row of rows) add(String(row.value), Number(row.n));
      break;
    }
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([value, count]) => ({ value, count }));
}
