// Which lines the values offered at the cursor come from: those the rest of the query already
// selects, when it is a conjunction of terms on the source and level fields (`namespace:shop and
// pod:` offers shop's pods, counted among shop's lines). Inside an `or` or a `not` the rest does
// not narrow what may go at the cursor, and free text or extracted fields in it would make each
// keystroke a scan of the range: then every line of the range counts, as before.
import { classifyField } from '../query/fields';
import type { AllNode, QueryNode } from '../query/ast';
import { parseQuery, type Completion } from '../query/parse';

const ALL: AllNode = { type: 'all', start: 0, end: 0 };
/** Stands for the value being typed, so the rest parses: a quoted value is one whatever the field. */
const PLACEHOLDER = '"x"';

export function completionScope(text: string, at: Completion): QueryNode {
  let root: QueryNode;
  try {
    root = parseQuery(`${text.slice(0, at.replaceFrom)}${PLACEHOLDER}${text.slice(at.replaceTo)}`);
  } catch {
    return ALL; // the rest is unfinished too
  }
  if (root.type !== 'and') return ALL;
  const rest = root.children.filter((child) => !(child.start <= at.replaceFrom && at.replaceFrom < child.end));
  if (rest.length === root.children.length || !rest.every(onKeywords)) return ALL;
  return rest.length === 1 ? rest[0] : { ...root, children: rest };
}

/** Reads only fields every line shares with its source, or its level and stream. */
function onKeywords(node: QueryNode): boolean {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.every(onKeywords);
    case 'not':
      return onKeywords(node.child);
    case 'match':
    case 'exists': {
      const { kind } = classifyField(node.field);
      return kind === 'source' || kind === 'entry' || kind === 'label';
    }
    default:
      return false;
  }
}
