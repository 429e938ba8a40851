// Writing query-language text from values: suggestions insert values, and the page turns filter
// pills into clauses. Reading it back must give the same value, whatever the value holds.

/** A value as the query language reads it back: bare when it is one plain word, else quoted. */
export function quoteValue(value: string): string {
  const bare = /^[^\s()"*?/\\<>]+$/.test(value) && !/^(and|or|not)$/i.test(value) && !value.startsWith('-');
  return bare ? value : quoted(value);
}

/** Always quoted: an exact match, `*` and `?` included literally. */
export function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The characters of a field name in the language, as a regex class body. `@` for the names of
 * Logstash and Serilog JSON (`@timestamp`, `@l`, `@mt`).
 */
export const FIELD_NAME_CHARS = 'A-Za-z0-9_./@-';

const QUERYABLE_FIELD = new RegExp(`^[${FIELD_NAME_CHARS}]+$`);

/** Whether a name can be written as a field in the language (the parser's field grammar). */
export function isQueryableField(name: string): boolean {
  return QUERYABLE_FIELD.test(name);
}

/** The built-in fields every entry has a value of: `field:*` holds for every line. */
export const FIELDS_EVERY_ENTRY_HAS: readonly string[] = ['namespace', 'pod', 'container', 'node', 'stream', 'level'];

export interface FilterClause {
  field: string;
  value: string;
  /**
   * `is` an exact value, `exists` has a value, `is one of` any of `values`; each with its
   * negation, as Kibana's pills are included or excluded (`is not` also matches a missing field).
   */
  op: FilterOp;
  /** With `is one of` and `is not one of`: the values. */
  values?: string[];
  disabled?: boolean;
}

export type FilterOp = 'is' | 'is not' | 'exists' | 'does not exist' | 'is one of' | 'is not one of';

const OPPOSITE_OPS: Readonly<Record<FilterOp, FilterOp>> = {
  is: 'is not',
  'is not': 'is',
  exists: 'does not exist',
  'does not exist': 'exists',
  'is one of': 'is not one of',
  'is not one of': 'is one of',
};

/** The filter's op excluding what it includes, or including what it excludes. */
export function oppositeOp(op: FilterOp): FilterOp {
  return OPPOSITE_OPS[op];
}

export function isNegatedOp(op: FilterOp): boolean {
  return op === 'is not' || op === 'does not exist' || op === 'is not one of';
}

export function isFilterOp(op: unknown): op is FilterOp {
  return typeof op === 'string' && Object.hasOwn(OPPOSITE_OPS, op);
}

function clause(f: FilterClause): string {
  const not = isNegatedOp(f.op) ? 'not ' : '';
  if (f.op === 'exists' || f.op === 'does not exist') return `${not}${f.field}:*`;
  if (f.op === 'is one of' || f.op === 'is not one of') return `${not}${f.field}:(${(f.values ?? []).map(quoted).join(' or ')})`;
  return `${not}${f.field}:${quoted(f.value)}`;
}

/** Whether the filter lists its values (`is one of`, `is not one of`). */
export function listsValues(op: FilterOp): boolean {
  return op === 'is one of' || op === 'is not one of';
}

/** The query text the server runs: the typed query and every enabled filter, all required. */
export function composeQuery(q: string, filters: readonly FilterClause[]): string {
  const clauses = filters
    .filter((f) => !f.disabled && isQueryableField(f.field) && (!listsValues(f.op) || (f.values?.length ?? 0) > 0))
    .map(clause);
  const typed = q.trim();
  if (clauses.length === 0) return typed;
  return [...(typed ? [`(${typed})`] : []), ...clauses].join(' and ');
}
