'use client';
// An opened row: actions, every field with its value and what can be done with it, and the raw
// line as it was written.
import { CopyButton } from './copy-button';
import { formatInZone, useTimeZone, zoneName } from './time-zone';
import { FIELDS_EVERY_ENTRY_HAS, type FilterClause, isQueryableField } from '@/common/query-text';
import type { Hit, SourceInfo } from '@/common/read-api';
import { fieldValue, MAX_FIELD_VALUE_CHARS, mayBeCut } from '@/common/field-value';
import { DEFAULT_VIEW, writeView } from './view-state';

/** Minutes either side of a linked line that the table behind its context shows. */
const LINK_SPAN_MS = 5 * 60_000;

/** A link to exactly this line: its context opened, over a fixed range around it. */
export function lineLink(hit: Hit): string {
  const at = Date.parse(hit.ts);
  const range = { from: new Date(at - LINK_SPAN_MS).toISOString(), to: new Date(at + LINK_SPAN_MS).toISOString() };
  return `/${writeView({ ...DEFAULT_VIEW, ...range, line: hit.id })}`;
}

const BUILT_IN = ['stream', 'level', 'namespace', 'pod', 'container', 'node'];

interface DetailsProps {
  hit: Hit;
  source: SourceInfo | undefined;
  columns: string[];
  onFilter?: (filter: FilterClause) => void;
  onToggleColumn?: (field: string) => void;
  onContext?: (hit: Hit) => void;
}

interface Row {
  name: string;
  value: string;
  /** A message field named like a built-in one: shown, but a query by that name means the built-in. */
  shadowed: boolean;
}

export function HitDetails({ hit, source, columns, onFilter, onToggleColumn, onContext }: DetailsProps) {
  const zone = useTimeZone();
  const builtIn = [...BUILT_IN.slice(0, 2), ...(source ? BUILT_IN.slice(2) : []), ...(source ? Object.keys(source.labels).map((k) => `labels.${k}`) : [])];
  const rows: Row[] = [
    ...builtIn.map((name) => ({ name, value: fieldValue(hit, source, name) ?? '', shadowed: false })),
    ...Object.entries(hit.fields).map(([name, value]) => ({
      name,
      // The line's own value: for a name like `level`, fieldValue would answer the built-in one.
      value: typeof value === 'string' ? value : JSON.stringify(value),
      // `labels.*` in a query are the pod's labels (the field list leaves a line's own out too).
      shadowed: BUILT_IN.includes(name) || name === 'message' || name.startsWith('labels.'),
    })),
  ];
  const json = JSON.stringify({ ...hit, source }, null, 2);
  return (
    <div className="details">
      <div className="detail-actions">
        {onContext && (
          <button type="button" data-testid="view-context" onClick={() => onContext(hit)}>
            View surrounding lines
          </button>
        )}
        <CopyButton text={hit.message} label="Copy message" />
        <CopyButton text={json} label="Copy JSON" />
        <a href={lineLink(hit)} data-testid="line-link" title="A link that opens this line with the lines around it">
          Link to this line
        </a>
        <CopyButton text={() => new URL(lineLink(hit), window.location.href).href} label="Copy link" />
      </div>
      <table className="fields">
        <tbody>
          <tr>
            <td />
            <th>ts</th>
            <td className="mono" data-testid="detail-time" title={hit.ts}>
              {formatInZone(Date.parse(hit.ts), zone)}.{hit.ts.slice(20, 26)} ({zoneName(zone)})
            </td>
          </tr>
          {rows.map(({ name, value, shadowed }) => {
            const filterable = onFilter && !shadowed && isQueryableField(name);
            const isColumn = columns.includes(name);
            return (
              <tr key={`${shadowed ? 'message:' : ''}${name}`} data-testid="detail-field" data-field={name}>
                <td className="detail-filters">
                  {filterable && (
                    <>
                      <button type="button" title={`Filter for ${name}: ${value}`} aria-label={`Filter for ${name}`} onClick={() => onFilter({ field: name, value, op: 'is' })}>+</button>
                      <button type="button" title={`Filter out ${name}: ${value}`} aria-label={`Filter out ${name}`} onClick={() => onFilter({ field: name, value, op: 'is not' })}>−</button>
                      {!FIELDS_EVERY_ENTRY_HAS.includes(name) && (
                        <button type="button" title={`Only lines that have ${name}`} aria-label={`Filter ${name} exists`} onClick={() => onFilter({ field: name, value: '', op: 'exists' })}>exists</button>
                      )}
                    </>
                  )}
                  {onToggleColumn && !shadowed && (
                    <button type="button" title={isColumn ? `Remove the ${name} column` : `Show ${name} as a table column`} aria-label={isColumn ? `Remove ${name} column` : `Add ${name} as a column`} onClick={() => onToggleColumn(name)}>
                      {isColumn ? '− col' : '+ col'}
                    </button>
                  )}
                </td>
                <th>
                  {name}
                  {shadowed && (
                    <span className="muted small" title={`The line has its own "${name}"; in a query, ${name} means Logpond's built-in field`}>
                      {' '}(in message)
                    </span>
                  )}
                </th>
                <td className="mono">
                  {value}
                  {!builtIn.includes(name) && mayBeCut(value) && (
                    <span className="muted small" data-testid="value-cut">
                      {' '}… (cut at {MAX_FIELD_VALUE_CHARS.toLocaleString()} characters when stored: the raw line below holds all of it)
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h4 className="raw-title">Raw line</h4>
      <pre className="mono raw-line" data-testid="raw-line">{hit.message}</pre>
      <details>
        <summary>JSON</summary>
        <pre className="mono">{json}</pre>
      </details>
    </div>
  );
}
