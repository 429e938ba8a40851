// GET /api/suggest: what may go at the cursor of a query being typed — field names, values of the
// field being typed (with counts; line shapes after `pattern:`), operators — each with the range
// of the query it replaces.
// The query is read by the parser's tolerant mode, so an unfinished or invalid query still gets
// suggestions; values come from the time range the user is looking at, and from the lines the
// rest of the query selects where it can say cheaply (completion-scope.ts).
import { quoteValue } from '../../common/query-text';
import type { Suggestion } from '../../common/read-api';
import { parseForCompletion } from '../query/parse';
import { KEYWORD_COLUMNS, PATTERN_FIELD } from '../query/fields';
import { Drain } from '../patterns/drain';
import type { AllNode, QueryNode } from '../query/ast';
import type { MicrosRange, StorageView } from '../store/log-storage';
import { completionScope } from './completion-scope';
import { addPatternText, PATTERN_TEXT_CHARS } from './patterns';
import { typeOf } from './fields';
import { fieldValues } from './values';

export type { Suggestion };

const ALL: AllNode = { type: 'all', start: 0, end: 0 };
const OPERATORS = ['and', 'or', 'not'];
const COMPARISONS = ['<', '<=', '>', '>='];
/** Newest entries whose extracted field names are offered: enough to see every line shape. */
const FIELD_SAMPLE = 1_000;
const MAX_FIELDS = 20;
const MAX_VALUES = 10;
/** Newest lines whose shapes are offered after `pattern:`: a keystroke's worth of clustering. */
const SHAPE_SAMPLE = 2_000;

export async function suggest(view: StorageView, query: string, cursor: number, range: MicrosRange): Promise<Suggestion[]> {
  const at = parseForCompletion(query, cursor);
  const span = { from: at.replaceFrom, to: at.replaceTo };
  const prefix = at.prefix.toLowerCase();
  const out: Suggestion[] = [];
  if (at.context === 'value' && at.field === PATTERN_FIELD) {
    for (const template of await lineShapes(view, completionScope(query, at), range, prefix)) out.push({ kind: 'value', text: quoteValue(template), ...span });
    return out;
  }
  if (at.context === 'value' && at.field) {
    for (const v of await fieldValues(view, completionScope(query, at), range, at.field, at.prefix, MAX_VALUES)) {
      out.push({ kind: 'value', text: quoteValue(v.value), ...span, count: v.count });
    }
    return out;
  }
  if (at.context === 'operator' || at.context === 'any') {
    for (const op of OPERATORS) if (op.startsWith(prefix)) out.push({ kind: 'operator', text: op, ...span });
  }
  // Inside `field:( … )`: after a whole value, an operator or another value of the field.
  if (at.context === 'any' && at.field) {
    for (const v of await fieldValues(view, completionScope(query, at), range, at.field, at.prefix, MAX_VALUES)) {
      out.push({ kind: 'value', text: quoteValue(v.value), ...span, count: v.count });
    }
    return out;
  }
  if (at.field) return out;
  if (at.context === 'field' || at.context === 'any' || at.context === 'operator') {
    const { names, numeric } = await fieldSample(view, range);
    for (const name of matchingNames(names, prefix).slice(0, MAX_FIELDS)) {
      out.push({ kind: 'field', text: `${name}:`, ...span });
    }
    // A numeric field's name typed whole: its comparisons too, as Kibana offers them there.
    const whole = names.find((name) => name === at.prefix);
    if (whole && numeric.has(whole)) for (const op of COMPARISONS) out.push({ kind: 'operator', text: `${whole}${op}`, ...span });
  }
  // Where a term starts, `not` is an operator the typing may be heading for (after a `-`, which
  // negates already, it is not); offered once a letter of it is typed, not on every empty box.
  if (at.context === 'field' && prefix !== '' && !at.negated && 'not'.startsWith(prefix)) out.push({ kind: 'operator', text: 'not', ...span });
  return out;
}

/**
 * Names holding `prefix` (lowercase) anywhere, as Kibana matches them (`status` finds
 * `http.status_code`), those starting with it first; each group in `names`' order.
 */
function matchingNames(names: readonly string[], prefix: string): string[] {
  const starting = names.filter((n) => n.toLowerCase().startsWith(prefix));
  const inside = names.filter((n) => !n.toLowerCase().startsWith(prefix) && n.toLowerCase().includes(prefix));
  return [...starting, ...inside];
}

/**
 * The most common shapes (Patterns view templates) among the newest lines of `scope` in the range, those
 * holding `prefix` (lowercase) anywhere: a template most often starts with a variable part, so
 * what is typed is looked for inside it. No counts: they would be of the sample, not the range.
 */
async function lineShapes(view: StorageView, scope: QueryNode, range: MicrosRange, prefix: string): Promise<string[]> {
  const drain = new Drain();
  for (const text of await view.patternTexts({ query: scope, range, size: SHAPE_SAMPLE, chars: PATTERN_TEXT_CHARS })) addPatternText(drain, text);
  return drain
    .clusters()
    .map((c) => c.tokens.join(' '))
    .filter((template) => template.toLowerCase().includes(prefix))
    .slice(0, MAX_VALUES);
}

/** Built-ins first, then pod label keys and extracted fields seen in the range, sorted. */
export async function fieldNames(view: StorageView, range: MicrosRange): Promise<string[]> {
  return (await fieldSample(view, range)).names;
}

/**
 * fieldNames, and which extracted fields hold numbers only in the sample (the field list's
 * `number`, fields.ts), which a comparison can be asked of.
 */
async function fieldSample(view: StorageView, range: MicrosRange): Promise<{ names: string[]; numeric: Set<string> }> {
  const labels = await view.labelKeys();
  const types = new Map<string, Set<string>>();
  for (const fields of await view.sample({ query: ALL, range, size: FIELD_SAMPLE, column: 'fields' })) {
    if (!fields) continue;
    try {
      for (const [key, value] of Object.entries(JSON.parse(fields) as object)) {
        let seen = types.get(key);
        if (!seen) types.set(key, (seen = new Set()));
        if (value !== null) seen.add(typeof value);
      }
    } catch {
      // a malformed fields column names no field
    }
  }
  const builtIn = [...Object.keys(KEYWORD_COLUMNS), 'message'];
  const extracted = new Set(types.keys());
  for (const name of builtIn) extracted.delete(name);
  // `labels.x` in a query is the pod's label: a line's own `labels.x` is not a second name for it
  // (the field list leaves it out too), and offered twice it was one suggestion twice.
  for (const name of extracted) if (name.startsWith('labels.')) extracted.delete(name);
  const numeric = new Set([...extracted].filter((name) => typeOf(types.get(name)!) === 'number'));
  return { names: [...builtIn, ...[...labels.map((key) => `labels.${key}`), ...extracted].sort()], numeric };
}
