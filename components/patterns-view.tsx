'use client';
// The Patterns tab: the shapes of the lines a search matches (GET /api/patterns), loudest first or
// most changed first, each with its sparkline over the histogram's buckets, its level mix, and
// two example lines on expand. A click keeps only a pattern's lines or drops them, as a filter pill
// like any other, so it survives reload and works in tail, export and context.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Fragment, useEffect, useMemo, useRef, useState } from 'react';
import type { FilterClause } from '@/common/query-text';
import type { PatternSummary } from '@/common/read-api';
import { LEVEL_COLORS } from './histogram-series';
import { ApiError, FIRST_PATTERNS, MORE_PATTERNS, patternsOptions, type SearchKey } from './queries';
import { focusFilterPillWhenGone } from './filter-pills';
import { TryAgain } from './try-again';
import { noMatchAdvice } from './no-match-advice';
import { useStoreIsEmpty } from './empty-store';
import { useTimeZone, zoneName } from './time-zone';

const PLACEHOLDER = '<_>';
const LEVEL_ORDER = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'];
type Sort = 'count' | 'change';

interface Props {
  searchKey: SearchKey;
  onFilter: (filter: FilterClause) => void;
  /** What the search is made of, for the advice when nothing matches. */
  typed: boolean;
  filtersOn: number;
  /** The query "Show more" was pressed on (kept by the page, which asks for the same patterns). */
  moreFor: string | null;
  onMore: (q: string) => void;
}

export function PatternsView({ searchKey, onFilter, typed, filtersOn, moreFor, onMore }: Props) {
  const [sort, setSort] = useState<Sort>('count');
  const storeEmpty = useStoreIsEmpty();
  const [open, setOpen] = useState<string | null>(null);
  // A pattern dropped takes its row, and its button, with the search: the focus goes to its pill.
  const addFilter = (button: HTMLElement, filter: FilterClause) => {
    onFilter(filter);
    focusFilterPillWhenGone(button, filter);
  };
  const limit = patternsLimit(moreFor, searchKey.q);
  const zone = zoneName(useTimeZone());
  const found = useQuery({ ...patternsOptions(searchKey, zone, limit), placeholderData: keepPreviousData });
  // The screenful shown before Show more, from the cache alone: it stays if the longer list fails.
  const screenful = useQuery({ ...patternsOptions(searchKey, zone, FIRST_PATTERNS), enabled: false });
  const moreFailing = limit === MORE_PATTERNS && found.isError && screenful.data !== undefined; // failed, or being tried again
  const moreError = moreFailing && !found.isFetching ? found.error : null;
  const result = moreFailing ? screenful.data : found.data;
  const loading = found.isPlaceholderData || found.isFetching;
  const patterns = useMemo(() => {
    const list = result?.patterns ?? [];
    return sort === 'count' ? list : [...list].sort((a, b) => b.change - a.change || b.count - a.count);
  }, [result, sort]);
  // Show more pressed from the keyboard goes away with the screenful: the keyboard goes on to the
  // first pattern it added, once they are there.
  const table = useRef<HTMLTableElement>(null);
  const focusAfterMore = useRef<ReadonlySet<string> | null>(null);
  useEffect(() => {
    const before = focusAfterMore.current;
    const added = before && patterns.find((p) => !before.has(p.id));
    if (!added) return;
    focusAfterMore.current = null;
    table.current?.querySelector<HTMLElement>(`[data-pattern-id="${CSS.escape(added.id)}"] button.expand`)?.focus();
  }, [patterns]);

  if (found.isPending) {
    return (
      <div className="table-skeleton" aria-busy="true" data-testid="patterns-loading">
        <p className="muted small">Finding the patterns of the matching lines…</p>
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (found.isError && !moreFailing) {
    const error: Error = found.error;
    return (
      <div className="empty error" role="alert" data-testid="patterns-error">
        {error instanceof ApiError && error.code === 'query_syntax'
          ? 'Fix the query above to see its patterns.'
          : error instanceof ApiError && error.code === 'query_timeout'
            ? 'Counting the patterns of every line in this range took longer than the query time limit. Pick a shorter range or narrow the query.'
            : `Finding patterns failed: ${error.message}`}{' '}
        <TryAgain error={error} onRetry={() => void found.refetch()} />
      </div>
    );
  }
  const data = result!;
  if (patterns.length === 0) {
    return (
      <div className="empty" data-testid="patterns-empty">
        {storeEmpty
          ? 'Nothing stored yet, so no patterns: the Documents tab says how to send logs.'
          : `No lines match in this time range, so there are no patterns. ${noMatchAdvice({ spanMs: searchKey.toMs - searchKey.fromMs, typed, filtersOn })}`}
      </div>
    );
  }
  return (
    <div className={`patterns${loading ? ' loading' : ''}`} data-testid="patterns" aria-busy={loading || undefined}>
      <div className="table-tools">
        <span className="small" data-testid="patterns-summary">
          {data.found > patterns.length
            ? `the ${patterns.length.toLocaleString()} largest of ${data.found.toLocaleString()} patterns in ${data.total.toLocaleString()} lines`
            : `${patterns.length.toLocaleString()} pattern${patterns.length === 1 ? '' : 's'} in ${data.total.toLocaleString()} lines`}
          {sort === 'change' && data.found > patterns.length && <span className="muted"> — change compared among these</span>}
          {data.sampled && (
            <span className="muted" data-testid="patterns-sampled">
              {' '}
              — found in the newest {data.sampleSize.toLocaleString()} lines; counts are over all of them
            </span>
          )}
        </span>
        <span className="toggle" role="radiogroup" aria-label="Sort patterns by">
          Sort by{' '}
          {(['count', 'change'] as const).map((s) => (
            <label key={s}>
              <input type="radio" name="pattern-sort" value={s} checked={sort === s} onChange={() => setSort(s)} /> {s === 'count' ? 'count' : 'change'}
            </label>
          ))}
        </span>
      </div>
      <table ref={table} className="pattern-table">
        <thead>
          <tr>
            <th className="col-expand" />
            <th className="col-count">Count</th>
            <th className="col-share">Share</th>
            <th className="col-spark">Over time</th>
            {sort === 'change' && <th className="col-change" title="Rate in the last fifth of the range against before">Change</th>}
            <th className="col-levels">Levels</th>
            <th>Pattern</th>
            <th className="col-actions">Filter</th>
          </tr>
        </thead>
        <tbody>
          {patterns.map((p) => (
            <Fragment key={p.id}>
              <tr className="pattern-row" data-testid="pattern-row" data-pattern-id={p.id}>
                <td className="col-expand">
                  <button type="button" className="expand" aria-expanded={open === p.id} aria-label={`${open === p.id ? 'Hide' : 'Show'} examples of ${spoken(p.template)}`} onClick={() => setOpen(open === p.id ? null : p.id)}>
                    {open === p.id ? '▾' : '▸'}
                  </button>
                </td>
                <td className="col-count count" data-testid="pattern-count">{p.count.toLocaleString()}</td>
                <td className="col-share count">{share(p.share)}</td>
                <td className="col-spark">
                  <Sparkline buckets={p.buckets} />
                </td>
                {sort === 'change' && (
                  <td className="col-change count" data-testid="pattern-change">
                    {p.change >= 100 ? '≥100' : p.change.toFixed(p.change >= 10 ? 0 : 1)}×
                  </td>
                )}
                <td className="col-levels">
                  <LevelMix levels={p.levels} total={p.count} />
                </td>
                <td className="pattern-template" data-testid="pattern-template">
                  <Template template={p.template} />
                </td>
                <td className="col-actions">
                  <button type="button" className="filter-in" aria-label={`Show only lines like ${spoken(p.template)}`} title="Show only lines of this pattern" data-testid="pattern-filter-in" onClick={(e) => addFilter(e.currentTarget, filterOf(p, 'is'))}>
                    ⊕
                  </button>
                  <button type="button" className="filter-out" aria-label={`Hide lines like ${spoken(p.template)}`} title="Hide lines of this pattern" data-testid="pattern-filter-out" onClick={(e) => addFilter(e.currentTarget, filterOf(p, 'is not'))}>
                    ⊖
                  </button>
                </td>
              </tr>
              {open === p.id && (
                <tr className="pattern-examples" data-testid="pattern-examples">
                  <td />
                  <td colSpan={sort === 'change' ? 7 : 6}>
                    <ul>
                      {p.examples.map((example, i) => (
                        <li key={i} className="example">
                          {example}
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {moreError && (
        <div className="table-end error" role="alert" data-testid="patterns-more-error">
          Could not show more:{' '}
          {moreError instanceof ApiError && moreError.code === 'query_timeout' ? 'counting more patterns took longer than the query time limit.' : moreError.message}{' '}
          {/* Counting more again would only time out again. */}
          {!(moreError instanceof ApiError && moreError.code === 'query_timeout') && <TryAgain error={moreError} onRetry={() => void found.refetch()} />}
        </div>
      )}
      {limit === FIRST_PATTERNS && data.patterns.length >= FIRST_PATTERNS && (
        <div className="table-end">
          <button
            type="button"
            onClick={(e) => {
              if (document.activeElement === e.currentTarget) focusAfterMore.current = new Set(patterns.map((p) => p.id));
              onMore(searchKey.q);
            }}
          >
            Show more patterns
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * How many patterns to ask for: "Show more" holds for the query it was pressed on, and a new query
 * starts with a screenful again. Not for the key object, which the page makes anew on any change
 * of the URL (a bar interval, a column) and on every auto-refresh, nor its range, which a refresh
 * moves.
 */
export function patternsLimit(moreFor: string | null, q: string): number {
  return moreFor === q ? MORE_PATTERNS : FIRST_PATTERNS;
}

/** A pattern as a button's name says it: quoted, and short enough to listen to. */
function spoken(template: string): string {
  return `“${template.length > 80 ? `${template.slice(0, 79)}…` : template}”`;
}

function filterOf(p: PatternSummary, op: 'is' | 'is not'): FilterClause {
  return { field: 'pattern', value: p.template, op };
}

function share(fraction: number): string {
  const percent = fraction * 100;
  return percent >= 10 ? `${percent.toFixed(0)}%` : percent >= 0.1 ? `${percent.toFixed(1)}%` : '<0.1%';
}

/** The template with its placeholders set apart; text only, so a hostile line stays text. */
function Template({ template }: { template: string }) {
  const parts = template.split(PLACEHOLDER);
  return (
    <code>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 && <span className="placeholder">{PLACEHOLDER}</span>}
        </Fragment>
      ))}
    </code>
  );
}

const SPARK = { width: 120, height: 22 };

function Sparkline({ buckets }: { buckets: number[] }) {
  const max = Math.max(1, ...buckets);
  const step = buckets.length > 1 ? SPARK.width / (buckets.length - 1) : SPARK.width;
  const points = buckets.map((n, i) => `${(i * step).toFixed(1)},${(SPARK.height - 1 - (n / max) * (SPARK.height - 2)).toFixed(1)}`).join(' ');
  return (
    <span className="sparkline">
      <svg width={SPARK.width} height={SPARK.height} aria-hidden="true">
        <polyline points={`0,${SPARK.height} ${points} ${SPARK.width},${SPARK.height}`} />
      </svg>
    </span>
  );
}

function LevelMix({ levels, total }: { levels: Record<string, number>; total: number }) {
  const shown = Object.entries(levels).sort(([a], [b]) => LEVEL_ORDER.indexOf(a) - LEVEL_ORDER.indexOf(b));
  const label = shown.map(([level, n]) => `${level} ${n.toLocaleString()}`).join(', ');
  return (
    <span className="level-mix" role="img" aria-label={label} title={label}>
      {shown.map(([level, n]) => (
        <span key={level} style={{ width: `${(n / Math.max(total, 1)) * 100}%`, background: LEVEL_COLORS[level] ?? LEVEL_COLORS.unknown }} />
      ))}
    </span>
  );
}
