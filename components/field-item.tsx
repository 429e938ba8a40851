'use client';
// One field of the field list. Opened, it reads the field in depth (/api/field-stats): how many
// distinct values, how many hits have it, for numbers min/avg/p50/p95/max and their spread, and
// its ten most frequent values — each to filter for or out, several at once ("is one of"), as a
// column, or as the histogram's split.
import { useQuery } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { FIELDS_EVERY_ENTRY_HAS, type FilterClause, isQueryableField } from '@/common/query-text';
import type { FieldSummary, NumericSummary } from '@/common/read-api';
import { MiddleEllipsis } from './middle-ellipsis';
import { fieldStatsOptions, type SearchKey } from './queries';
import { TryAgain } from './try-again';

interface Props {
  /** The search an opened field is read in depth for; only the open field needs it. */
  searchKey: SearchKey | null;
  /** Whether the search's hits are in: the open field is read in depth after them. */
  ready: boolean;
  field: FieldSummary;
  total: number;
  open: boolean;
  isColumn: boolean;
  onOpen: (field: string) => void;
  onFilter: (filter: FilterClause) => void;
  onToggleColumn: (field: string) => void;
  onVisualize: (field: string) => void;
}

const share = (count: number, of: number) => `${Math.round((count / Math.max(1, of)) * 1000) / 10}%`;
const number = (n: number) => numberText(n);

/**
 * A summary's number: whole numbers as they are, others to two decimals, and those below one to
 * three significant digits, so a duration of 0.0034 s does not read as 0.
 */
export function numberText(n: number, locale?: string): string {
  if (Number.isInteger(n)) return n.toLocaleString(locale);
  return Math.abs(n) < 1 ? n.toLocaleString(locale, { maximumSignificantDigits: 3 }) : n.toLocaleString(locale, { maximumFractionDigits: 2 });
}

/** Memoized, and reading nothing until opened: a search re-rendered every field of the list. */
export const FieldItem = memo(function FieldItem({ searchKey, ready, field, total, open, isColumn, onOpen, onFilter, onToggleColumn, onVisualize }: Props) {
  return (
    <li className={open ? 'field open' : 'field'} data-testid="field" data-field={field.name}>
      <button type="button" className="field-name" aria-expanded={open} onClick={() => onOpen(field.name)} title={field.name}>
        <span className={`type type-${field.type}`}>{field.type[0]}</span>
        <MiddleEllipsis className="name" text={field.name} />
        <span className="muted count">{field.count.toLocaleString()}</span>
      </button>
      {open && searchKey && (
        <FieldDetails searchKey={searchKey} ready={ready} field={field} total={total} isColumn={isColumn} onFilter={onFilter} onToggleColumn={onToggleColumn} onVisualize={onVisualize} />
      )}
    </li>
  );
});

function FieldDetails({ searchKey, ready, field, total, isColumn, onFilter, onToggleColumn, onVisualize }: Omit<Props, 'open' | 'onOpen' | 'searchKey'> & { searchKey: SearchKey }) {
  const queryable = isQueryableField(field.name);
  const stats = useQuery({ ...fieldStatsOptions(searchKey, field.name), enabled: ready && field.name !== 'message' });
  const [ticked, setTicked] = useState<string[]>([]);
  const top = stats.data?.top ?? field.top;
  // Only values the list still shows: after a search that drops them, a "Filter for 2 chosen" of
  // values no longer in sight added a filter nobody could see they had asked for.
  const chosen = ticked.filter((value) => top.some((v) => v.value === value));
  const counted = stats.data ? Math.min(stats.data.total, stats.data.sampled ? (stats.data.sampleSize ?? stats.data.total) : stats.data.total) : total;
  const toggle = (value: string) => setTicked(chosen.includes(value) ? chosen.filter((v) => v !== value) : [...chosen, value]);
  return (
    <div className="field-details" data-testid="field-details">
      <div className="field-actions">
        {/* The message is the table's own last column: added, it came twice. */}
        {(field.name !== 'message' || isColumn) && (
          <button type="button" onClick={() => onToggleColumn(field.name)}>
            {isColumn ? 'Remove column' : 'Add column'}
          </button>
        )}
        {/* Not on a field every line has, where it would filter nothing out. */}
        {queryable && field.name !== 'message' && !FIELDS_EVERY_ENTRY_HAS.includes(field.name) && (
          <button type="button" onClick={() => onFilter({ field: field.name, value: '', op: 'exists' })}>
            Exists
          </button>
        )}
        {queryable && field.name !== 'message' && (
          <button type="button" title="Split the histogram by this field's values" onClick={() => onVisualize(field.name)}>
            Visualize
          </button>
        )}
      </div>
      {stats.isError && (
        <p className="error small">
          Cannot read the field: {stats.error.message}{' '}
          <TryAgain error={stats.error} onRetry={() => void stats.refetch()} />
        </p>
      )}
      {/* Its line is held while the counts come, so the values below do not move under the pointer. */}
      {!stats.data && !stats.isError && field.name !== 'message' && (
        <p className="muted small" data-testid="field-summary" aria-busy="true">
          Counting its values…
        </p>
      )}
      {stats.data && (
        <p className="muted small" data-testid="field-summary">
          {stats.data.distinct.toLocaleString()} distinct value{stats.data.distinct === 1 ? '' : 's'} · in {share(stats.data.count, counted)} of{' '}
          {stats.data.sampled && counted < stats.data.total ? `the newest ${counted.toLocaleString()}` : counted.toLocaleString()} hits
        </p>
      )}
      {top.length === 0 && <p className="muted small">No values to list.</p>}
      <ul className="top-values">
        {top.map((v) => (
          <li key={v.value} data-testid="top-value">
            <span className="value-pick">
              {queryable && (
                <input type="checkbox" aria-label={`Choose ${field.name} ${v.value}`} checked={chosen.includes(v.value)} onChange={() => toggle(v.value)} />
              )}
              <MiddleEllipsis className="value mono" text={v.value} />
            </span>
            <span className="muted count">{v.count.toLocaleString()}</span>
            {queryable && (
              <>
                <button type="button" title="Filter for this value" aria-label={`Filter for ${field.name} ${v.value}`} onClick={() => onFilter({ field: field.name, value: v.value, op: 'is' })}>
                  +
                </button>
                <button type="button" title="Filter out this value" aria-label={`Filter out ${field.name} ${v.value}`} onClick={() => onFilter({ field: field.name, value: v.value, op: 'is not' })}>
                  −
                </button>
              </>
            )}
            <span className="share" title={`${v.count.toLocaleString()} of ${counted.toLocaleString()}`}>
              <span className="bar" style={{ width: share(v.count, counted) }} />
              {share(v.count, counted)}
            </span>
          </li>
        ))}
      </ul>
      {chosen.length > 0 && (
        <button
          type="button"
          className="primary"
          onClick={() => {
            onFilter({ field: field.name, value: '', op: 'is one of', values: chosen });
            setTicked([]);
          }}
        >
          Filter for {chosen.length} chosen
        </button>
      )}
      {/* Below the values, which are shown before it comes: above, it pushed them from under the pointer. */}
      {stats.data?.numeric && <NumericStats numeric={stats.data.numeric} />}
    </div>
  );
}

function NumericStats({ numeric }: { numeric: NumericSummary }) {
  const highest = Math.max(1, ...numeric.buckets.map((b) => b.count));
  return (
    <div className="numeric-stats" data-testid="numeric-stats">
      <dl>
        {(['min', 'avg', 'p50', 'p95', 'max'] as const).map((k) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{number(numeric[k])}</dd>
          </div>
        ))}
      </dl>
      <div className="distribution" aria-label="Distribution">
        {numeric.buckets.map((b) => (
          <span key={b.from} title={`${number(b.from)} to ${number(b.to)}: ${b.count.toLocaleString()}`} style={{ height: `${Math.max(2, (b.count / highest) * 100)}%` }} />
        ))}
      </div>
    </div>
  );
}
