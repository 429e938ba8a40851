// Compiles a query AST to a ClickHouse boolean expression over `entries AS e`, with typed query
// parameters `{p1:String}`, `{p2:Float64}`, …: every value the user typed is bound, and the SQL
// text holds only fixed fragments and the table names this code was given. The semantics are
// DuckDB's (store/duckdb/compile.ts), which a test holds both engines to on generated queries:
// free text is a case-insensitive substring of the message; `field:value` an exact value;
// wildcards and regexes RE2 (ClickHouse's `match`), which is linear in the line's length.
//
// A pod field (namespace, pod, container, node, labels.*) is a property of the line's source, and
// sources are stored once, not per line: its predicate becomes `e.source_id IN (the ids of the
// sources where it holds)`, a set of a few ids that stays correct under NOT and OR.
import type { QueryNode, RangeOp } from '../../query/ast';
import { classifyField } from '../../query/fields';
import { PATTERN_TEXT_FIELDS, patternRegex } from '../../query/pattern-template';
import { QuerySyntaxError } from '../../query/query-syntax-error';
import { regexProblem } from '../../query/regex-check';
import { wildcardRegex } from '../../query/regex-text';
import { LEVELS, STREAMS } from '../../ingest/decoded-batch';

export interface ClickHouseFilter {
  /** A boolean expression over `e.*`. */
  sql: string;
  /** Values of `{pN:Type}`, keyed by name. */
  params: Record<string, unknown>;
}

export const MATCH_ALL: ClickHouseFilter = { sql: '1', params: {} };

/** A fixed whitelist: the operator text in the SQL never comes from the query text. */
const RANGE_SQL: Readonly<Record<RangeOp, string>> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Where a field's value is: on the entry (a column or its extracted fields) or on its source. */
type Target =
  | { on: 'entry'; value: string; nullable: boolean; names?: { column: string; values: readonly string[] } }
  | { on: 'source'; value: string; present: string | null }
  | { on: 'message' };

/** `sources` is the qualified name of the sources table. */
export function compileQuery(node: QueryNode, sources: string, prefix = 'p'): ClickHouseFilter {
  if (node.type === 'all') return MATCH_ALL;
  const compiler = new Compiler(sources, prefix);
  return { sql: compiler.node(node), params: compiler.params };
}

/** The value of a top-level key of a JSON object as text, as DuckDB's json_extract_string gives it. */
export function jsonValue(column: string, keyParam: string): string {
  return `JSONExtract(${column}, ${keyParam}, 'Nullable(String)')`;
}

/**
 * A line's pattern text (query/pattern-template.ts) before its first line is taken: the first of
 * the message fields present, else the message. `bind` binds each field's key and answers its
 * placeholder.
 */
export function patternTextSql(bind: (key: string) => string): string {
  return `coalesce(${PATTERN_TEXT_FIELDS.map((key) => jsonValue('e.fields', bind(key))).join(', ')}, e.message)`;
}

/** LIKE's own characters escaped, so `text` matches only itself. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

class Compiler {
  readonly params: Record<string, unknown> = {};
  private count = 0;

  constructor(
    private readonly sources: string,
    private readonly prefix: string,
  ) {}

  private param(value: unknown, type: 'String' | 'Float64'): string {
    const name = `${this.prefix}${++this.count}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }

  node(node: QueryNode): string {
    switch (node.type) {
      case 'all':
        return '1';
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
        if (target.on === 'message') return this.messageContains(node.value, node.wildcard);
        if (target.on === 'entry' && target.names && !node.wildcard) {
          // An enum column holds only its names: another value matches nothing (and the enum would refuse it).
          return target.names.values.includes(node.value) ? `(${target.names.column} = ${this.param(node.value, 'String')})` : '0';
        }
        return this.where(target, (value) => (node.wildcard ? this.wildcardMatch(value, node.value) : `${value} = ${this.param(node.value, 'String')}`));
      }
      case 'exists': {
        const target = this.target(node.field, node.fieldStart);
        if (target.on === 'entry') return target.nullable ? `(${target.value} IS NOT NULL)` : '1';
        if (target.on === 'source') return target.present ? this.inSources(target.present) : '1';
        return '1';
      }
      case 'range': {
        const op = RANGE_SQL[node.op];
        if (!op) throw new QuerySyntaxError(`invalid range operator at ${node.start}`, node.start, ['<', '<=', '>', '>='], String(node.op));
        const target = this.target(node.field, node.fieldStart);
        const value = target.on === 'message' ? 'e.message' : null;
        // As text: the client refuses a JavaScript number past 2^53, which a Float64 may well be.
        const compare = (v: string) => `toFloat64OrNull(${v}) ${op} ${this.param(String(node.value), 'Float64')}`;
        // Not a number is NULL, on any column: it does not match.
        return value ? `ifNull(${compare(value)}, 0)` : this.where(target as Exclude<Target, { on: 'message' }>, compare, true);
      }
      case 'pattern':
        return `match(${patternTextSql((key) => this.param(key, 'String'))}, ${this.param(patternRegex(node.template), 'String')})`;
      case 'regex': {
        const problem = regexProblem(node.pattern);
        if (problem) {
          throw new QuerySyntaxError(`invalid regular expression at ${node.start}: ${problem}`, node.start, ['a regular expression'], node.pattern);
        }
        const target = this.target(node.field, node.fieldStart);
        const regex = (v: string) => `match(${v}, ${this.param(node.pattern, 'String')})`;
        return target.on === 'message' ? regex('e.message') : this.where(target, regex);
      }
    }
  }

  /**
   * Case-insensitive substring of the message. An ASCII literal is `lower(message) LIKE '%…%'`:
   * ClickHouse runs it as a substring search, and the message's n-gram index (schema.ts) can skip
   * granules by it. Other text is lowered as Unicode; wildcards are RE2.
   */
  private messageContains(text: string, wildcard: boolean): string {
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]*$/.test(text);
    if (wildcard) {
      const inner = text.replace(/^\*+|\*+$/g, '');
      if (ascii) return `match(e.message, ${this.param(`(?is)${wildcardRegex(inner)}`, 'String')})`;
      return `match(lowerUTF8(e.message), ${this.param(`(?s)${wildcardRegex(inner.toLowerCase())}`, 'String')})`;
    }
    if (ascii) return `like(lower(e.message), ${this.param(`%${escapeLike(text.toLowerCase())}%`, 'String')})`;
    return `(position(lowerUTF8(e.message), ${this.param(text.toLowerCase(), 'String')}) > 0)`;
  }

  /** A whole, case-sensitive value against a wildcard pattern; a lone `*` at an end is a byte comparison. */
  private wildcardMatch(value: string, pattern: string): string {
    const literal = pattern.replace(/^\*|\*$/g, '');
    if (!/[*?]/.test(literal)) {
      const [head, tail] = [pattern.startsWith('*'), pattern.endsWith('*') && pattern.length > 1];
      const bound = this.param(literal, 'String');
      return head && tail ? `(position(${value}, ${bound}) > 0)` : head ? `endsWith(${value}, ${bound})` : `startsWith(${value}, ${bound})`;
    }
    return `match(${value}, ${this.param(`(?s)^(?:${wildcardRegex(pattern)})$`, 'String')})`;
  }

  private target(field: string, at: number): Target {
    const kind = classifyField(field);
    switch (kind.kind) {
      case 'message':
        return { on: 'message' };
      case 'pattern':
        // The parser makes `pattern:` a pattern node; an AST built elsewhere must not get this far.
        throw new QuerySyntaxError(`a pattern is a quoted template at ${at}`, at, ['a quoted template'], field);
      case 'entry': {
        const column = kind.column === 'level' ? 'e.level' : 'e.stream';
        return { on: 'entry', value: `toString(${column})`, nullable: false, names: { column, values: kind.column === 'level' ? LEVELS : STREAMS } };
      }
      case 'source':
        // One of four fixed column names.
        return { on: 'source', value: (['namespace', 'pod', 'container', 'node'] as const).find((c) => c === kind.column)!, present: null };
      case 'label': {
        const key = this.param(this.checkedKey(field, kind.key, at), 'String');
        return { on: 'source', value: `labels[${key}]`, present: `mapContains(labels, ${key})` };
      }
      case 'extracted':
        return { on: 'entry', value: jsonValue('e.fields', this.param(this.checkedKey(field, kind.path, at), 'String')), nullable: true };
    }
  }

  /** The parser's field grammar excludes these; an AST built elsewhere must not slip them through. */
  private checkedKey(field: string, key: string, at: number): string {
    if (key === '' || /["\\]/.test(key)) throw new QuerySyntaxError(`invalid field name "${field}" at ${at}`, at, ['a field name'], field);
    return key;
  }

  /** `compare` applied where the value is; a missing value (NULL, or a label the pod lacks) does not match. */
  private where(target: Exclude<Target, { on: 'message' }>, compare: (value: string) => string, nullable = false): string {
    if (target.on === 'entry') return target.nullable || nullable ? `ifNull(${compare(target.value)}, 0)` : `(${compare(target.value)})`;
    const holds = nullable ? `ifNull(${compare(target.value)}, 0)` : compare(target.value);
    return this.inSources(target.present ? `${target.present} AND ${holds}` : holds);
  }

  private inSources(predicate: string): string {
    return `(e.source_id IN (SELECT id FROM ${this.sources} FINAL WHERE ${predicate}))`;
  }
}
