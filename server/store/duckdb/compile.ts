// Compiles a query AST to a boolean SQL expression (a WHERE fragment) with named parameters.
//
// The expression reads entry columns `e.ts, e.source_id, e.stream, e.level, e.message, e.fields`
// and source columns `s.namespace, s.pod, s.container, s.node, s.labels`. Every value the user
// typed — words, wildcard patterns, JSON paths built from field names, regexes, numbers — is a bound
// parameter `$p1`, `$p2`, …; the SQL text holds only fixed fragments chosen by this compiler.
//
// Matching is linear in the length of a line: literals use contains or RE2, and wildcards and
// regexes use RE2, never LIKE. DuckDB's LIKE matcher backtracks: `%get%id%timeout%` did not finish
// in 90 s on one 256 KiB line, and the query timeout cannot interrupt inside a row.
import type { DuckDBValue } from '@duckdb/node-api';
import type { QueryNode, RangeOp } from '../../query/ast';
import { KEYWORD_COLUMNS, LABELS_PREFIX } from '../../query/fields';
import { PATTERN_TEXT_FIELDS, patternRegex } from '../../query/pattern-template';
import { QuerySyntaxError } from '../../query/query-syntax-error';
import { regexProblem } from '../../query/regex-check';
import { escapeRegex, wildcardRegex } from '../../query/regex-text';

export interface CompiledQuery {
  /** A boolean SQL expression. */
  sql: string;
  /** Values for `$p1`, `$p2`, … keyed without the `$`. */
  params: Record<string, DuckDBValue>;
  /** Whether the expression reads `s.*`, so the caller must join `sources s`. */
  readsSources: boolean;
  /**
   * Whether it reads `e.message` or `e.fields`. When not, it reads only `e.level`, `e.stream` and
   * the source, and can run on the store's rollups as well as on entries.
   */
  readsText?: boolean;
  /**
   * Free text every matching message must contain (case-insensitively): the plain terms and
   * phrases that are conjuncts of the whole query. The store's token index may skip blocks of
   * entries that cannot contain one; the SQL still decides.
   */
  requiredText?: string[];
}

/** A fixed whitelist: the operator text in the SQL never comes from the query text. */
const RANGE_SQL: Readonly<Record<RangeOp, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** How a field's value is read. `nullable` values are wrapped in coalesce(…, FALSE). */
type Target =
  | { kind: 'message' }
  | { kind: 'keyword'; column: string }
  | { kind: 'json'; column: 'e.fields' | 's.labels'; key: string };

export function compileQuery(node: QueryNode): CompiledQuery {
  return new Compiler().compile(node);
}

/**
 * `body` with `flags`, inside a capturing group. DuckDB's optimizer rewrites a constant pattern
 * made only of case-sensitive literals, `(?s).` and `(?s).*` into LIKE — the backtracking matcher
 * (measured: `(?s)GET.*id.*timeout` over one 256 KiB line ran past 15 s, uninterruptible; 44 ms
 * wrapped). It only looks at a top-level concatenation, so a group keeps the pattern RE2's; RE2
 * tracks no groups when the caller asks for none, as regexp_matches does.
 */
export function re2Pattern(body: string, flags = ''): string {
  return `(${flags ? `(?${flags})` : ''}${body})`;
}

/**
 * A line's pattern text (query/pattern-template.ts) before its first line is taken: the first of
 * the message fields present, else the message. `bind` binds each field's JSON path and answers
 * its placeholder.
 */
export function patternTextSql(bind: (path: string) => string): string {
  return `coalesce(${PATTERN_TEXT_FIELDS.map((key) => `json_extract_string(e.fields, ${bind(jsonKeyPath(key))})`).join(', ')}, e.message)`;
}

/** The DuckDB JSON path selecting the top-level key `key` (which may hold dots and slashes). */
export function jsonKeyPath(key: string): string {
  if (key === '' || /["\\]/.test(key)) throw new Error(`field key not representable as a JSON path: ${JSON.stringify(key)}`);
  return `$."${key}"`;
}

class Compiler {
  private readonly params: Record<string, DuckDBValue> = {};
  private count = 0;
  private readsSources = false;
  private readsText = false;

  compile(node: QueryNode): CompiledQuery {
    const sql = this.node(node);
    const compiled: CompiledQuery = { sql, params: this.params, readsSources: this.readsSources };
    if (this.readsText) compiled.readsText = true;
    const required = (node.type === 'and' ? node.children : [node]).flatMap(requiredText);
    if (required.length > 0) compiled.requiredText = required;
    return compiled;
  }

  private param(value: DuckDBValue): string {
    const name = `p${++this.count}`;
    this.params[name] = value;
    return `$${name}`;
  }

  private node(node: QueryNode): string {
    switch (node.type) {
      case 'all':
        return 'TRUE';
      case 'and':
      case 'or':
        return `(${node.children.map((c) => this.node(c)).join(node.type === 'and' ? ' AND ' : ' OR ')})`;
      case 'not':
        return `(NOT ${this.node(node.child)})`;
      case 'term':
        return this.messageContains(node.value, node.wildcard);
      case 'phrase':
        return this.messageContains(node.value, false);
      case 'match': {
        const target = this.target(node.field, node.fieldStart);
        if (target.kind === 'message') return this.messageContains(node.value, node.wildcard);
        const value = this.valueExpr(target);
        const cmp = node.wildcard ? this.wildcardMatch(value, node.value) : `${value} = ${this.param(node.value)}`;
        return this.nullSafe(target, cmp);
      }
      case 'exists': {
        const target = this.target(node.field, node.fieldStart);
        return target.kind === 'json' ? `(${this.valueExpr(target)} IS NOT NULL)` : 'TRUE';
      }
      case 'range': {
        const target = this.target(node.field, node.fieldStart);
        const op = RANGE_SQL[node.op];
        if (!op) throw new QuerySyntaxError(`invalid range operator at ${node.start}`, node.start, ['<', '<=', '>', '>='], String(node.op));
        // Always coalesced: TRY_CAST is NULL for a value that is not a number, even on a built-in column.
        return `coalesce(TRY_CAST(${this.valueExpr(target)} AS DOUBLE) ${op} ${this.param(node.value)}, FALSE)`;
      }
      case 'pattern':
        this.readsText = true;
        return `regexp_matches(${patternTextSql((path) => this.param(path))}, ${this.param(re2Pattern(patternRegex(node.template)))})`;
      case 'regex': {
        const problem = regexProblem(node.pattern);
        // The parser refuses these already; an AST built elsewhere must not reach the engine with one.
        if (problem) {
          throw new QuerySyntaxError(`invalid regular expression at ${node.start}: ${problem}`, node.start, ['a regular expression'], node.pattern);
        }
        const target = this.target(node.field, node.fieldStart);
        return this.nullSafe(target, `regexp_matches(${this.valueExpr(target)}, ${this.param(re2Pattern(node.pattern))})`);
      }
    }
  }

  /**
   * Case-insensitive substring of the message; `*`/`?` are wildcards when `wildcard`. Plans, as
   * measured on DuckDB over a million generated lines: ILIKE 500 ms, contains(lower(…)) 220 ms,
   * RE2 `(?i)` on an escaped literal 130 ms (reading the column alone: 100 ms). RE2's case folding
   * is slow on non-ASCII text (340 ms), so such terms take contains(lower(…)). Wildcards are RE2
   * alike: `(?is)` over ASCII text, the lowered message otherwise (lower() is linear too).
   * Over 64 lines of 256 KiB: `get*id*timeout` 48 ms, lowered 92 ms, ILIKE past 90 s.
   */
  private messageContains(text: string, wildcard: boolean): string {
    this.readsText = true;
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(text);
    if (wildcard) {
      // Unanchored already: outer stars add nothing but work.
      const inner = text.replace(/^\*+|\*+$/g, '');
      if (ascii) return `regexp_matches(e.message, ${this.param(re2Pattern(wildcardRegex(inner), 'is'))})`;
      return `regexp_matches(lower(e.message), ${this.param(re2Pattern(wildcardRegex(inner.toLowerCase()), 's'))})`;
    }
    if (ascii) return `regexp_matches(e.message, ${this.param(`(?i)${escapeRegex(text)}`)})`;
    return `contains(lower(e.message), ${this.param(text.toLowerCase())})`;
  }

  /**
   * A whole, case-sensitive value against a wildcard pattern. A lone `*` at either end or both is a
   * byte comparison (over a million values: `starts_with` 10 ms, RE2 165 ms); the rest is RE2.
   */
  private wildcardMatch(value: string, pattern: string): string {
    const literal = pattern.replace(/^\*|\*$/g, '');
    if (!/[*?]/.test(literal)) {
      const [head, tail] = [pattern.startsWith('*'), pattern.endsWith('*') && pattern.length > 1];
      const fn = head && tail ? 'contains' : head ? 'ends_with' : 'starts_with';
      return `${fn}(${value}, ${this.param(literal)})`;
    }
    return `regexp_full_match(${value}, ${this.param(re2Pattern(wildcardRegex(pattern), 's'))})`;
  }

  private target(field: string, at: number): Target {
    if (field === 'message') {
      this.readsText = true;
      return { kind: 'message' };
    }
    const column = KEYWORD_COLUMNS[field];
    if (column !== undefined && Object.hasOwn(KEYWORD_COLUMNS, field)) {
      if (column.startsWith('s.')) this.readsSources = true;
      return { kind: 'keyword', column };
    }
    const json: Target =
      field.startsWith(LABELS_PREFIX) && field.length > LABELS_PREFIX.length
        ? { kind: 'json', column: 's.labels', key: field.slice(LABELS_PREFIX.length) }
        : { kind: 'json', column: 'e.fields', key: field };
    // The parser's field grammar excludes these; an AST built elsewhere must not slip them through.
    if (json.key === '' || /["\\]/.test(json.key)) {
      throw new QuerySyntaxError(`invalid field name "${field}" at ${at}`, at, ['a field name'], field);
    }
    if (json.column === 's.labels') this.readsSources = true;
    else this.readsText = true;
    return json;
  }

  private valueExpr(target: Target): string {
    switch (target.kind) {
      case 'message':
        return 'e.message';
      case 'keyword':
        return target.column;
      case 'json':
        return `json_extract_string(${target.column}, ${this.param(jsonKeyPath(target.key))})`;
    }
  }

  /** Extracted values may be missing (NULL): a missing value does not match, so `not` matches it. */
  private nullSafe(target: Target, cmp: string): string {
    return target.kind === 'json' ? `coalesce(${cmp}, FALSE)` : `(${cmp})`;
  }
}

function requiredText(node: QueryNode): string[] {
  if (node.type === 'phrase') return [node.value];
  if ((node.type === 'term' || (node.type === 'match' && node.field === 'message')) && !node.wildcard) return [node.value];
  return [];
}
