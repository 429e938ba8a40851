// The field names of the language (DESIGN.md): built-ins, `labels.<key>` for pod labels, and any
// other name as the path of a field extracted from the message. A built-in name wins a clash.
import { FIELD_NAME_CHARS } from '../../common/query-text';

/** Built-in keyword fields and the column each reads: `e.*` entry columns, `s.*` source columns. */
export const KEYWORD_COLUMNS: Readonly<Record<string, string>> = {
  namespace: 's.namespace',
  pod: 's.pod',
  container: 's.container',
  node: 's.node',
  stream: 'e.stream',
  level: 'e.level',
};

export const LABELS_PREFIX = 'labels.';

/** The built-in name whose value is a template of the Patterns view (query/pattern-template.ts). */
export const PATTERN_FIELD = 'pattern';

/**
 * A field name as the query grammar reads one (parse.ts, `field`), bounded in length. Routes that
 * take a field name as a parameter refuse anything else, so the name fits a JSON path.
 */
export const FIELD_NAME = new RegExp(`^[${FIELD_NAME_CHARS}]{1,256}$`);

export type FieldKind =
  | { kind: 'message' }
  | { kind: 'pattern' }
  | { kind: 'source'; column: 'namespace' | 'pod' | 'container' | 'node' }
  | { kind: 'entry'; column: 'stream' | 'level' }
  | { kind: 'label'; key: string }
  | { kind: 'extracted'; path: string };

export function classifyField(name: string): FieldKind {
  if (name === 'message') return { kind: 'message' };
  if (name === PATTERN_FIELD) return { kind: 'pattern' };
  if (Object.hasOwn(KEYWORD_COLUMNS, name)) {
    const column = KEYWORD_COLUMNS[name];
    return column.startsWith('s.')
      ? { kind: 'source', column: name as 'namespace' | 'pod' | 'container' | 'node' }
      : { kind: 'entry', column: name as 'stream' | 'level' };
  }
  if (name.startsWith(LABELS_PREFIX) && name.length > LABELS_PREFIX.length) {
    return { kind: 'label', key: name.slice(LABELS_PREFIX.length) };
  }
  return { kind: 'extracted', path: name };
}
