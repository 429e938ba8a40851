// GET /api/field-stats: one field in depth — how many matching entries have it, how many distinct
// values, its ten most frequent, and for numbers min/avg/percentiles/max and a distribution.
//
// Counted as GET /api/fields counts (fields.ts): built-in fields and labels exactly, from one
// scan grouped by (source, level, stream); message text and extracted fields over the newest
// SAMPLE_SIZE matching entries, said so with `sampled` and `sampleSize`. Reading every entry's
// JSON for one popover is what the sample exists to avoid.
import type { FieldStatsResponse as FieldStats } from '../../common/read-api';
import type { QueryNode } from '../query/ast';
import { classifyField } from '../query/fields';
import type { MicrosRange, StorageView } from '../store/log-storage';
import { parseFields, SAMPLE_SIZE, Tally, typeOf, valueText } from './fields';
import { numericSummary } from './numeric-summary';

export const TOP_STATS_VALUES = 10;
/**
 * Messages are counted by their first this many characters (the cut ingest applies to extracted
 * values): a line may be 256 KiB, and a sample of thousands of them whole is memory a popover
 * must not cost.
 */
const MESSAGE_PREFIX_CHARS = 1024;

export type { FieldStatsResponse as FieldStats } from '../../common/read-api';

/** `field` is a name of the field grammar (read-params.ts, fieldParam). */
export async function fieldStats(view: StorageView, query: QueryNode, range: MicrosRange, field: string): Promise<FieldStats> {
  const kind = classifyField(field);
  const groups = await view.tally({ query, range, by: kind.kind === 'entry' ? [kind.column] : [] });
  const total = groups.reduce((n, g) => n + g.n, 0);
  const tally = new Tally();
  if (kind.kind === 'entry') {
    for (const g of groups) tally.add(g[kind.column] ?? '', g.n);
  } else if (kind.kind === 'source' || kind.kind === 'label') {
    const sources = await view.sources(groups.map((g) => g.sourceId));
    for (const g of groups) {
      const source = sources[String(g.sourceId)];
      const value = kind.kind === 'source' ? source?.[kind.column] : source?.labels[kind.key];
      if (typeof value === 'string') tally.add(value, g.n);
    }
  }
  if (kind.kind !== 'message' && kind.kind !== 'extracted') {
    return { field, type: 'keyword', total, count: tally.count, distinct: tally.values.size, top: tally.top(TOP_STATS_VALUES) };
  }

  const column = kind.kind === 'message' ? 'message' : 'fields';
  const sample = total === 0 ? [] : await view.sample({ query, range, size: SAMPLE_SIZE, column, messageChars: MESSAGE_PREFIX_CHARS });
  const numbers: number[] = [];
  for (const text of sample) {
    if (kind.kind === 'message') {
      tally.add(text ?? '', 1);
      continue;
    }
    const fields = parseFields(text);
    if (!Object.hasOwn(fields, kind.path)) continue;
    const value = fields[kind.path];
    tally.add(valueText(value), 1, typeof value);
    if (typeof value === 'number') numbers.push(value);
  }
  const type = kind.kind === 'message' ? 'text' : tally.count === 0 ? 'string' : typeOf(tally.types);
  const stats: FieldStats = { field, type, total, count: tally.count, distinct: tally.values.size, top: tally.top(TOP_STATS_VALUES) };
  const numeric = type === 'number' ? numericSummary(numbers) : undefined;
  if (numeric) stats.numeric = numeric;
  return { ...stats, sampled: true, sampleSize: sample.length };
}
