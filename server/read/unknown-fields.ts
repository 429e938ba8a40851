// Why a query found nothing, when the reason is a field name: `nosuchfield:abc` or `LEVEL:ERROR`
// match no entry because no entry in the range has that field. Search names such fields, with
// the closest names that do exist, instead of a silent zero.
import type { SearchWarning } from '../../common/read-api';
import type { ExistsNode, FieldRef, QueryNode } from '../query/ast';
import { KEYWORD_COLUMNS } from '../query/fields';
import type { MicrosRange, StorageView } from '../store/log-storage';
import { fieldNames } from './suggest';

/** Named in the search answer's warnings (common/read-api.ts). */
export type UnknownField = Extract<SearchWarning, { code: 'unknown_field' }>;

/** Field names checked at most per query: each costs a one-row lookup. */
const MAX_CHECKED = 5;
const MAX_CLOSEST = 3;

export function fieldRefs(node: QueryNode): FieldRef[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.flatMap(fieldRefs);
    case 'not':
      return fieldRefs(node.child);
    case 'match':
    case 'exists':
    case 'range':
    case 'regex':
      return [{ field: node.field, fieldStart: node.fieldStart, fieldEnd: node.fieldEnd }];
    default:
      return [];
  }
}

export async function unknownFields(view: StorageView, query: QueryNode, range: MicrosRange): Promise<UnknownField[]> {
  const seen = new Set<string>();
  const refs = fieldRefs(query).filter((r) => r.field !== 'message' && !Object.hasOwn(KEYWORD_COLUMNS, r.field) && !seen.has(r.field) && seen.add(r.field));
  const missing: FieldRef[] = [];
  for (const ref of refs.slice(0, MAX_CHECKED)) {
    const exists: ExistsNode = { type: 'exists', field: ref.field, fieldStart: 0, fieldEnd: 0, start: 0, end: 0 };
    if ((await view.page({ query: exists, range, order: 'desc', limit: 1, after: null })).length === 0) missing.push(ref);
  }
  if (missing.length === 0) return [];
  const names = await fieldNames(view, range);
  return missing.map((ref) => {
    const closest = closestNames(ref.field, names);
    return {
      code: 'unknown_field',
      field: ref.field,
      position: ref.fieldStart,
      message: `No entry in this time range has a field "${ref.field}"${closest.length > 0 ? `; did you mean ${closest.join(', ')}?` : '.'}`,
      closest,
    };
  });
}

/** Names equal but for case first, then by edit distance (at most a third of the name), then shared prefix. */
export function closestNames(name: string, names: string[]): string[] {
  const lower = name.toLowerCase();
  const scored = names.map((candidate) => {
    const c = candidate.toLowerCase();
    if (c === lower) return { candidate, score: 0 };
    const distance = editDistance(lower, c);
    if (distance <= Math.max(1, Math.floor(lower.length / 3))) return { candidate, score: distance };
    if (c.endsWith(`.${lower}`) || c.startsWith(lower)) return { candidate, score: 50 };
    return { candidate, score: Infinity };
  });
  return scored
    .filter((s) => s.score !== Infinity)
    .sort((a, b) => a.score - b.score || a.candidate.localeCompare(b.candidate))
    .slice(0, MAX_CLOSEST)
    .map((s) => s.candidate);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
