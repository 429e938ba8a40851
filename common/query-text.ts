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

/** Whether a name can be written as a field in the language (the parser's field grammar). */
export function isQueryableField(name: string): boolean {
  return /^[A-Za-z0-9_./-]+$/.test(name);
}

export interface FilterClause {
  field: string;
  value: string;
  /** `is` an exact value, `is not` anything else (or missing), `exists` has a value, `is one of` any of `values`. */
  op: 'is' | 'is not' | 'exists' | 'is one of';
  /** With `is one of`: the values, any of which matches. */
  values?: string[];
  disabled?: boolean;
}

function clause(f: FilterClause): string {
  if (f.op === 'exists') return `${f.field}:*`;
  if (f.op === 'is one of') return `${f.field}:(${(f.values ?? []).map(quoted).join(' or ')})`;
  return `${f.op === 'is not' ? 'not ' : ''}${f.field}:${quoted(f.value)}`;
}

/** The query text the server runs: the typed query and every enabled filter, all required. */
export function composeQuery(q: string, filters: readonly FilterClause[]): string {
  const clauses = filters
    .filter((f) => !f.disabled && isQueryableField(f.field) && (f.op !== 'is one of' || (f.values?.length ?? 0) > 0))
    .map(clause);
  const typed = q.trim();
  if (clauses.length === 0) return typed;
  return [...(typed ? [`(${typed})`] : []), ...clauses].join(' and ');
}
