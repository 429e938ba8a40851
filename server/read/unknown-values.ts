// Why a query found nothing, when the reason is a value: `level:err` or `namespace:shop-prod`
// match no entry because no entry in the range has that namespace, pod, container, node, stream
// or level (values match whole, as in Kibana). Search names such values, with the closest ones
// that do exist, as it does for field names (unknown-fields.ts).
import type { SearchWarning } from '../../common/read-api';
import type { AllNode, MatchNode, QueryNode } from '../query/ast';
import { KEYWORD_COLUMNS } from '../query/fields';
import type { MicrosRange, StorageView } from '../store/log-storage';
import { closestNames } from './unknown-fields';
import { fieldValues } from './values';

/** Named in the search answer's warnings (common/read-api.ts). */
export type UnknownValue = Extract<SearchWarning, { code: 'unknown_value' }>;

/** Values checked at most per query: each costs a one-row lookup. */
const MAX_CHECKED = 3;
/** Values of the field the closest are chosen from: the commonest in the range. */
const CANDIDATES = 200;
const ALL: AllNode = { type: 'all', start: 0, end: 0 };

/** `field:value` terms on the Kubernetes fields and level that must hold (not under a `not`). */
function requiredKeywordMatches(node: QueryNode): MatchNode[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.flatMap(requiredKeywordMatches);
    case 'match':
      return Object.hasOwn(KEYWORD_COLUMNS, node.field) && !node.wildcard && node.value !== '' ? [node] : [];
    default:
      return [];
  }
}

/** `text` is the query `query` was parsed from: positions are in it. */
export async function unknownValues(view: StorageView, query: QueryNode, text: string, range: MicrosRange): Promise<UnknownValue[]> {
  const seen = new Set<string>();
  const matches = requiredKeywordMatches(query).filter((m) => !seen.has(`${m.field}\n${m.value}`) && seen.add(`${m.field}\n${m.value}`));
  const unknown: UnknownValue[] = [];
  for (const match of matches.slice(0, MAX_CHECKED)) {
    if ((await view.page({ query: match, range, order: 'desc', limit: 1, after: null })).length > 0) continue;
    const values = (await fieldValues(view, ALL, range, match.field, '', CANDIDATES)).map((v) => v.value);
    const closest = closestNames(match.value, values);
    // The value begins after the colon and any space: `level : "err"`.
    const position = match.fieldEnd + (/^\s*:\s*/.exec(text.slice(match.fieldEnd))?.[0].length ?? 0);
    unknown.push({
      code: 'unknown_value',
      field: match.field,
      value: match.value,
      typed: text.slice(position, match.end),
      position,
      message: `No entry in this time range has ${match.field} "${match.value}"${closest.length > 0 ? `; did you mean ${closest.join(', ')}?` : '.'}`,
      closest,
    });
  }
  return unknown;
}
