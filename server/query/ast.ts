// The query AST. Every node carries [start, end) offsets into the query text; nodes that name a
// field also carry [fieldStart, fieldEnd), the range autocomplete replaces when editing the name.

export interface Span {
  start: number;
  end: number;
}

export interface FieldRef {
  field: string;
  fieldStart: number;
  fieldEnd: number;
}

export type RangeOp = '<' | '<=' | '>' | '>=';

export interface AllNode extends Span { type: 'all' }
export interface OrNode extends Span { type: 'or'; children: QueryNode[] }
export interface AndNode extends Span { type: 'and'; children: QueryNode[] }
export interface NotNode extends Span { type: 'not'; child: QueryNode }
/** A bare free-text word; `wildcard` when it holds `*` or `?`. */
export interface TermNode extends Span { type: 'term'; value: string; wildcard: boolean }
/** A quoted free-text phrase, escapes already resolved. */
export interface PhraseNode extends Span { type: 'phrase'; value: string }
export interface MatchNode extends Span, FieldRef {
  type: 'match';
  value: string;
  /** Unquoted and holds `*` or `?`. */
  wildcard: boolean;
  quoted: boolean;
}
export interface ExistsNode extends Span, FieldRef { type: 'exists' }
export interface RangeNode extends Span, FieldRef { type: 'range'; op: RangeOp; value: number }
/** `pattern` is the text between the slashes with `\/` turned into `/`. */
export interface RegexNode extends Span, FieldRef { type: 'regex'; pattern: string }
/** `pattern:"…"`: the line's pattern text fits `template` (query/pattern-template.ts). */
export interface PatternNode extends Span, FieldRef { type: 'pattern'; template: string }

export type QueryNode =
  | AllNode
  | OrNode
  | AndNode
  | NotNode
  | TermNode
  | PhraseNode
  | MatchNode
  | ExistsNode
  | RangeNode
  | RegexNode
  | PatternNode;

/** A compact S-expression, e.g. `(and (match pod "checkout-*" wildcard) (not (term "error")))`. */
export function printQuery(node: QueryNode): string {
  const q = (s: string) => JSON.stringify(s);
  switch (node.type) {
    case 'all':
      return '(all)';
    case 'or':
    case 'and':
      return `(${node.type} ${node.children.map(printQuery).join(' ')})`;
    case 'not':
      return `(not ${printQuery(node.child)})`;
    case 'term':
      return `(term ${q(node.value)}${node.wildcard ? ' wildcard' : ''})`;
    case 'phrase':
      return `(phrase ${q(node.value)})`;
    case 'match':
      return `(match ${node.field} ${q(node.value)}${node.wildcard ? ' wildcard' : ''}${node.quoted ? ' quoted' : ''})`;
    case 'exists':
      return `(exists ${node.field})`;
    case 'range':
      return `(range ${node.field} ${node.op} ${node.value})`;
    case 'regex':
      return `(regex ${node.field} ${q(node.pattern)})`;
    case 'pattern':
      return `(pattern ${q(node.template)})`;
  }
}

/** Every node of the tree, parents before children. */
export function walkQuery(node: QueryNode, visit: (node: QueryNode) => void): void {
  visit(node);
  if (node.type === 'or' || node.type === 'and') node.children.forEach((c) => walkQuery(c, visit));
  else if (node.type === 'not') walkQuery(node.child, visit);
}
