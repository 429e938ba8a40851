// The Logpond query language (KQL-style). One method per grammar rule; precedence lives in the
// nesting: or < and < not < primary.
//
//   query      = ws [ or ] ws EOF                        (* empty → {type:'all'} *)
//   or         = and { ws OR ws and }
//   and        = not { ws [ AND ws ] not }               (* adjacency is an implicit AND *)
//   not        = NOT ws not | "-" not | primary          (* "-" touches what it negates *)
//   primary    = "(" ws or ws ")" | phrase | fieldExpr | word
//   fieldExpr  = field ws ":" ws ( "(" ws valueOr ws ")" | value )
//              | field ws rangeOp ws number
//   valueOr    = the or/and/not rules above with `value` as their primary, all about one field
//   value      = "*" | phrase | regex | valueWord        (* "*" alone = the field exists *)
//                                                       (* of `pattern`: a phrase, the template *)
//   field      = /[A-Za-z0-9_.\/@-]+/
//   rangeOp    = "<=" | ">=" | "<" | ">"
//   number     = /-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?/
//   phrase     = '"' { char - ('"' | "\") | "\" char } '"'
//   regex      = "/" { char - ("/" | "\") | "\" char } "/"   (* "\/" is a slash *)
//   word       = { char - (ws | "(" | ")" | '"' | ":" | "<" | ">") }+   (* "*", "?" wildcards *)
//   valueWord  = { char - (ws | "(" | ")" | '"') }+
//   AND, OR, NOT = "and" | "or" | "not" in any case, as whole words not followed by ":" or an operator
import { FIELD_NAME_CHARS } from '../../common/query-text';
import type { FieldRef, PatternNode, QueryNode, RangeOp } from './ast';
import { PATTERN_FIELD } from './fields';
import { MAX_NESTING, MAX_QUERY_CHARS, MAX_RANGE_NUMBER, MAX_REGEX_WEIGHT, MAX_TERMS } from './limits';
import { QuerySyntaxError } from './query-syntax-error';
import { patternWeight } from './pattern-template';
import { checkRegex } from './regex-check';

const FIELD = new RegExp(`^[${FIELD_NAME_CHARS}]+$`);
const FIELD_AND_OPERATOR = new RegExp(`^-?([${FIELD_NAME_CHARS}]+)(:|<=|>=|<|>)`);
const FIELD_AND_OPERATOR_AT_END = new RegExp(`([${FIELD_NAME_CHARS}]+)\\s*(:|<=|>=|<|>)$`);
const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const isWs = (c: string | undefined) => c !== undefined && /\s/.test(c);
const isWordChar = (c: string | undefined) => c !== undefined && !/[\s()":<>]/.test(c);
const isValueChar = (c: string | undefined) => c !== undefined && !/[\s()"]/.test(c);
const hasWildcard = (s: string) => /[*?]/.test(s);

/**
 * Parses a query; throws QuerySyntaxError naming the position of the first problem, including a
 * query past the limits of limits.ts or a regex DuckDB's RE2 would refuse.
 */
export function parseQuery(text: string): QueryNode {
  if (text.length > MAX_QUERY_CHARS) throw queryTooLong();
  return new Parser(text).query();
}

export function queryTooLong(): QuerySyntaxError {
  return new QuerySyntaxError(`the query is longer than ${MAX_QUERY_CHARS} characters`, MAX_QUERY_CHARS, ['a shorter query'], 'more text');
}

class Parser {
  private pos = 0;
  private depth = 0;
  private terms = 0;
  private regexWeight = 0;
  /** Set inside `field:( … )`: primaries there are values of this field. */
  private group: FieldRef | null = null;

  constructor(private readonly text: string) {}

  query(): QueryNode {
    this.ws();
    if (this.pos >= this.text.length) return { type: 'all', start: 0, end: this.text.length };
    const node = this.or();
    this.ws();
    if (this.pos < this.text.length) throw this.fail(this.pos, ['end of query'], `unexpected ${this.quoteFound(this.pos)}`);
    return node;
  }

  private or(): QueryNode {
    const children = [this.and()];
    for (;;) {
      const save = this.pos;
      this.ws();
      if (this.keywordAt(this.pos) !== 'or') {
        this.pos = save;
        break;
      }
      this.pos += 2;
      this.requireTerm('or');
      children.push(this.and());
    }
    return children.length === 1 ? children[0] : { type: 'or', children, start: children[0].start, end: children.at(-1)!.end };
  }

  private and(): QueryNode {
    const children = [this.not()];
    for (;;) {
      const save = this.pos;
      this.ws();
      const keyword = this.keywordAt(this.pos);
      if (keyword === 'and') {
        this.pos += 3;
        this.requireTerm('and');
      } else if (this.pos >= this.text.length || this.text[this.pos] === ')' || keyword === 'or') {
        this.pos = save;
        break;
      }
      children.push(this.not());
    }
    return children.length === 1 ? children[0] : { type: 'and', children, start: children[0].start, end: children.at(-1)!.end };
  }

  private not(): QueryNode {
    const start = this.pos;
    if (this.keywordAt(start) === 'not') {
      this.pos += 3;
      this.requireTerm('not');
    } else if (this.text[start] === '-') {
      this.pos += 1;
      const next = this.text[this.pos];
      if (next === undefined || isWs(next) || next === ')') throw this.fail(this.pos, ['a term'], `expected a term after "-"`);
    } else {
      return this.primary();
    }
    const child = this.nested(start, () => this.not());
    return { type: 'not', child, start, end: child.end };
  }

  private nested<T>(at: number, rule: () => T): T {
    if (++this.depth > MAX_NESTING) throw this.fail(at, ['a shallower query'], `nesting deeper than ${MAX_NESTING} levels`);
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  private primary(): QueryNode {
    const start = this.pos;
    const c = this.text[start];
    if (c === '(') {
      this.pos += 1;
      this.ws();
      if (!this.canStartTerm()) throw this.fail(this.pos, ['a term'], 'expected a term');
      const inner = this.nested(start, () => this.or());
      this.ws();
      if (this.text[this.pos] !== ')') throw this.fail(this.pos, [')'], 'expected ")"');
      this.pos += 1;
      return inner;
    }
    if (this.group) return this.value(this.group);
    if (c === '"') return this.leaf({ type: 'phrase', value: this.quoted('"', 'phrase'), start, end: this.pos });
    while (isWordChar(this.text[this.pos])) this.pos += 1;
    const word = this.text.slice(start, this.pos);
    if (word === '') throw this.fail(start, ['a term'], `unexpected ${this.quoteFound(start)}`);
    const wordEnd = this.pos;
    this.ws();
    const next = this.text[this.pos];
    if (next === ':' || next === '<' || next === '>') {
      if (!FIELD.test(word)) throw this.fail(start, ['a field name'], `invalid field name "${word}"`);
      return this.fieldExpr({ field: word, fieldStart: start, fieldEnd: wordEnd }, start);
    }
    this.pos = wordEnd;
    return this.leaf({ type: 'term', value: word, wildcard: hasWildcard(word), start, end: wordEnd });
  }

  private fieldExpr(ref: FieldRef, start: number): QueryNode {
    if (this.text[this.pos] === ':') {
      this.pos += 1;
      this.ws();
      if (this.text[this.pos] !== '(') return this.value(ref, start);
      this.pos += 1;
      this.ws();
      if (!this.canStartTerm()) throw this.fail(this.pos, ['a value'], 'expected a value');
      const outer = this.group;
      this.group = ref;
      const inner = this.or();
      this.group = outer;
      this.ws();
      if (this.text[this.pos] !== ')') throw this.fail(this.pos, [')'], 'expected ")"');
      this.pos += 1;
      return { ...inner, start, end: this.pos };
    }
    if (ref.field === PATTERN_FIELD) throw this.fail(this.pos, [':'], 'a pattern is compared with ":", e.g. pattern:"GET /api/<_> 200"');
    const op = (this.text.startsWith('=', this.pos + 1) ? this.text.slice(this.pos, this.pos + 2) : this.text[this.pos]) as RangeOp;
    this.pos += op.length;
    this.ws();
    const numberStart = this.pos;
    while (isValueChar(this.text[this.pos])) this.pos += 1;
    const raw = this.text.slice(numberStart, this.pos);
    if (!NUMBER.test(raw)) throw this.fail(numberStart, ['a number'], 'expected a number', raw || undefined);
    const value = Number(raw);
    if (!(Math.abs(value) < MAX_RANGE_NUMBER)) {
      throw this.fail(numberStart, ['a smaller number'], 'number out of range (beyond ±9223372036854775807)', raw);
    }
    return this.leaf({ type: 'range', ...ref, op, value, start, end: this.pos });
  }

  /** A value of `ref` at this.pos; the node starts at `start` (the field name, outside a group). */
  private value(ref: FieldRef, start = this.pos): QueryNode {
    const c = this.text[this.pos];
    if (ref.field === PATTERN_FIELD) return this.leaf(this.pattern(ref, start));
    if (c === '"') return this.leaf({ type: 'match', ...ref, value: this.quoted('"', 'phrase'), wildcard: false, quoted: true, start, end: this.pos });
    if (c === '/') return this.leaf(this.regex(ref, start));
    const wordStart = this.pos;
    while (isValueChar(this.text[this.pos])) this.pos += 1;
    const word = this.text.slice(wordStart, this.pos);
    if (word === '') throw this.fail(wordStart, ['a value'], 'expected a value');
    if (word === '*') return this.leaf({ type: 'exists', ...ref, start, end: this.pos });
    return this.leaf({ type: 'match', ...ref, value: word, wildcard: hasWildcard(word), quoted: false, start, end: this.pos });
  }

  /** `pattern:"…"`: a template, always quoted (it holds blanks and `<_>`); it runs as a regex, weighed as one. */
  private pattern(ref: FieldRef, start: number): PatternNode {
    const at = this.pos;
    if (this.text[at] !== '"') throw this.fail(at, ['a quoted template'], 'a pattern is a quoted template, e.g. pattern:"GET /api/<_> 200"');
    const template = this.quoted('"', 'phrase');
    this.weigh(patternWeight(template), at, template);
    return { type: 'pattern', ...ref, template, start, end: this.pos };
  }

  /** Adds a regex's weight (regex-check.ts) to the query's, refused past the budget. */
  private weigh(weight: number, at: number, found: string): void {
    this.regexWeight += weight;
    // Wildcards compile to regexes too, but a query's length bounds theirs far below the budget.
    if (this.regexWeight > MAX_REGEX_WEIGHT) {
      throw new QuerySyntaxError(`invalid regular expression at ${at}: the regular expressions of the query are too large together`, at, ['a regular expression'], found);
    }
  }

  /** `/…/`, refused here when RE2 would refuse it or the query's regexes grow past their budget. */
  private regex(ref: FieldRef, start: number): QueryNode {
    const at = this.pos;
    const pattern = this.quoted('/', 'regular expression');
    const check = checkRegex(pattern);
    if ('problem' in check) throw new QuerySyntaxError(`invalid regular expression at ${at}: ${check.problem}`, at, ['a regular expression'], pattern);
    this.weigh(check.weight, at, pattern);
    return { type: 'regex', ...ref, pattern, start, end: this.pos };
  }

  /** Counts a term against MAX_TERMS. */
  private leaf(node: QueryNode): QueryNode {
    if (++this.terms > MAX_TERMS) throw this.fail(node.start, ['fewer terms'], `more than ${MAX_TERMS} terms`);
    return node;
  }

  /** Reads `"…"` or `/…/` from this.pos; a backslash escapes the next character (in a regex only `\/` loses it). */
  private quoted(delimiter: '"' | '/', what: string): string {
    const start = this.pos;
    let out = '';
    for (let i = start + 1; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === delimiter) {
        this.pos = i + 1;
        return out;
      }
      if (ch === '\\' && i + 1 < this.text.length) {
        const escaped = this.text[++i];
        out += delimiter === '/' && escaped !== '/' ? `\\${escaped}` : escaped;
      } else {
        out += ch;
      }
    }
    throw new QuerySyntaxError(`unterminated ${what} starting at ${start}`, start, [delimiter], 'end of query');
  }

  private requireTerm(after: string): void {
    this.ws();
    if (!this.canStartTerm()) throw this.fail(this.pos, ['a term'], `expected a term after "${after}"`);
  }

  private canStartTerm(): boolean {
    const c = this.text[this.pos];
    const keyword = this.keywordAt(this.pos);
    return c !== undefined && c !== ')' && keyword !== 'and' && keyword !== 'or';
  }

  /** `and`, `or` or `not` as a whole word at `at`, unless it is a field name (followed by `:`, `<`, `>`). */
  private keywordAt(at: number): 'and' | 'or' | 'not' | null {
    let end = at;
    while (isWordChar(this.text[end])) end += 1;
    const word = this.text.slice(at, end).toLowerCase();
    if (word !== 'and' && word !== 'or' && word !== 'not') return null;
    while (isWs(this.text[end])) end += 1;
    return /[:<>]/.test(this.text[end] ?? '') ? null : word;
  }

  private ws(): void {
    while (isWs(this.text[this.pos])) this.pos += 1;
  }

  private quoteFound(at: number): string {
    return at >= this.text.length ? 'end of query' : JSON.stringify(this.text[at]);
  }

  private fail(at: number, expected: string[], what: string, found?: string): QuerySyntaxError {
    return new QuerySyntaxError(`${what} at ${at}`, at, expected, found ?? (at >= this.text.length ? 'end of query' : this.text[at]));
  }
}

export interface Completion {
  /**
   * field: a term starts here (a field name or free text); value: a value of `field`;
   * operator: a term just ended (and/or/not, or a new term by implicit AND);
   * any: a partial word after a complete term (an operator, a field or free text).
   */
  context: 'field' | 'value' | 'operator' | 'any';
  /**
   * With value: the field whose value it is. With operator or any: the field of the `field:( … )`
   * group the cursor is in, whose terms are all values of it.
   */
  field?: string;
  /** What is typed between replaceFrom and the cursor. */
  prefix: string;
  /** A `-` before the word: the term is negated already. */
  negated?: boolean;
  replaceFrom: number;
  replaceTo: number;
}

/**
 * Tolerant: says what is being typed at `cursor` in a query that may be unfinished or invalid.
 * It reads the token around the cursor and what precedes it, with the lexical rules of the grammar.
 */
export function parseForCompletion(text: string, cursor: number): Completion {
  cursor = Math.max(0, Math.min(cursor, text.length));
  const open = openQuoteBefore(text, cursor);
  if (open !== null) {
    const field = fieldBefore(text, open);
    const to = text.indexOf('"', cursor);
    const replaceTo = to === -1 ? text.length : to + 1;
    const prefix = text.slice(open + 1, cursor).replace(/\\(.)/g, '$1');
    return field ? { context: 'value', field, prefix, replaceFrom: open, replaceTo } : { context: 'any', prefix, replaceFrom: open, replaceTo };
  }
  let from = cursor;
  while (isValueChar(text[from - 1])) from -= 1;
  let to = cursor;
  while (isValueChar(text[to])) to += 1;
  const token = text.slice(from, cursor);
  // `field:val`, `field>=12` written without spaces
  const op = FIELD_AND_OPERATOR.exec(token);
  if (op) {
    const valueFrom = from + op[0].length;
    return { context: 'value', field: op[1], prefix: text.slice(valueFrom, cursor), replaceFrom: valueFrom, replaceTo: to };
  }
  const field = fieldBefore(text, from);
  if (field) return { context: 'value', field, prefix: token, replaceFrom: from, replaceTo: to };
  const negated = token.startsWith('-') ? 1 : 0;
  const word = { prefix: token.slice(negated), replaceFrom: from + negated, replaceTo: to, ...(negated ? { negated: true } : {}) };
  let before = from;
  while (isWs(text[before - 1])) before -= 1;
  const previous = text[before - 1];
  const startsTerm = negated || previous === undefined || previous === '(' || /(^|[\s(])(and|or|not)$/i.test(text.slice(0, before));
  // Inside `field:( … )` every term is a value of that field (valueOr in the grammar above).
  const group = fieldOfGroup(text, from);
  if (group !== undefined) {
    if (startsTerm || before === from) return { context: 'value', field: group, ...word };
    return { context: token === '' ? 'operator' : 'any', field: group, ...word };
  }
  if (startsTerm) return { context: 'field', ...word };
  if (before === from) return { context: 'field', ...word }; // touching a ")" or a phrase: no gap yet
  return { context: token === '' ? 'operator' : 'any', ...word };
}

/** The field of the innermost `field:(` group still open at `at`, if the innermost open group is one. */
function fieldOfGroup(text: string, at: number): string | undefined {
  const { groups } = scanTo(text, at);
  return groups.length > 0 ? fieldBefore(text, groups[groups.length - 1]) : undefined;
}

/** Offset of the quote that opens a phrase still open at `cursor`, or null. */
function openQuoteBefore(text: string, cursor: number): number | null {
  return scanTo(text, cursor).openQuote;
}

/**
 * What is still open at `at`, with the lexical rules of the grammar: a phrase (its quote's
 * offset), and the parentheses outside phrases and regexes (their offsets, innermost last).
 */
function scanTo(text: string, at: number): { openQuote: number | null; groups: number[] } {
  const groups: number[] = [];
  let openQuote: number | null = null;
  let regex = false;
  for (let i = 0; i < at; i++) {
    const ch = text[i];
    if (openQuote !== null || regex) {
      if (ch === '\\') i += 1;
      else if (openQuote !== null && ch === '"') openQuote = null;
      else if (regex && ch === '/') regex = false;
    } else if (ch === '"') openQuote = i;
    else if (ch === '/' && text[i - 1] === ':') regex = true;
    else if (ch === '(') groups.push(i);
    else if (ch === ')') groups.pop();
  }
  return { openQuote, groups };
}

/** The field name when `at` is where a value of it starts (`pod:|`, `pod: |`, `status >= |`). */
function fieldBefore(text: string, at: number): string | undefined {
  let i = at;
  while (isWs(text[i - 1])) i -= 1;
  const m = FIELD_AND_OPERATOR_AT_END.exec(text.slice(0, i));
  return m ? m[1] : undefined;
}
