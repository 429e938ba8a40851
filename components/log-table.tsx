'use client';
// The hits, newest first: time, a compact source label, a level badge and the message, matches
// highlighted. More pages load as the end comes into view, up to MAX_ROWS. A row expands into
// its fields and labels. Log text is hostile input: it is only ever rendered as React text.
import { useInfiniteQuery } from '@tanstack/react-query';
import { memo, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { type FilterClause, isQueryableField } from '@/common/query-text';
import type { Hit, SourceInfo } from '@/common/read-api';
import { FindInResults } from './find-in-results';
import { ApiError, MAX_ROWS, type SearchKey, searchOptions } from './queries';
import { useRowWindow } from './use-row-window';
import { formatLocal } from './time-picker';

/** Longer messages are cut in the table (a 1 MB line must not stall the page); "show all" opens them. */
const PREVIEW_CHARS = 2_000;

interface Props {
  searchKey: SearchKey;
  terms: string[];
  columns: string[];
  /** Lines the live tail brought, newest first, shown above the search's own. */
  live: { hits: Hit[]; sources: Record<string, SourceInfo> };
  onError: (error: ApiError | Error | null) => void;
  onFilter: (filter: FilterClause) => void;
  onContext: (hit: Hit) => void;
}

export function LogTable({ searchKey, terms, columns, live, onError, onFilter, onContext }: Props) {
  const search = useInfiniteQuery(searchOptions(searchKey));
  const sentinel = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const [found, setFound] = useState<string | null>(null);
  const [wrap, setWrap] = useState(false);
  useEffect(() => onError(search.error), [search.error, onError]);

  const { hits, sources } = useMemo(() => {
    const pages = search.data?.pages ?? [];
    const seen = new Set<string>();
    const all = [...live.hits, ...pages.flatMap((p) => p.hits)].filter((h) => !seen.has(h.id) && seen.add(h.id));
    return {
      hits: all.slice(0, MAX_ROWS),
      sources: Object.assign({}, live.sources, ...pages.map((p) => p.sources)) as Record<string, SourceInfo>,
    };
  }, [search.data, live]);

  const ids = useMemo(() => hits.map((h) => h.id), [hits]);
  const rows = useRowWindow(ids, table, `${wrap}:${columns.join(',')}`);
  const { scrollTo } = rows;
  useEffect(() => {
    if (!found) return;
    scrollTo(ids.indexOf(found));
    // Rendered after the scroll: bring the row itself to the middle.
    requestAnimationFrame(() => document.querySelector(`[data-hit-id="${CSS.escape(found)}"]`)?.scrollIntoView({ block: 'center' }));
  }, [found, ids, scrollTo]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && search.hasNextPage && !search.isFetchingNextPage) void search.fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [search]);

  if (search.isPending) {
    return (
      <div className="table-skeleton" aria-busy="true" data-testid="loading">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (search.isError) {
    const error = search.error;
    return (
      <div className="empty error" role="alert" data-testid="search-error">
        {error instanceof ApiError && error.code === 'query_syntax' ? 'Fix the query above to search.' : `The search failed: ${error.message}`}
      </div>
    );
  }
  if (hits.length === 0) {
    return (
      <div className="empty" data-testid="empty">
        No lines match in this time range. Try a wider range (Last 24 hours) or fewer terms.
      </div>
    );
  }
  return (
    <div className={wrap ? 'log-table' : 'log-table nowrap'} data-testid="log-table">
      <div className="table-tools">
        <FindInResults hits={hits} onCurrent={setFound} />
        <label className="toggle">
          <input type="checkbox" checked={wrap} onChange={(e) => setWrap(e.target.checked)} data-testid="wrap" /> Wrap long lines
        </label>
        <span className="muted small">{hits.length.toLocaleString()} lines loaded</span>
      </div>
      <table ref={table}>
        <thead>
          <tr>
            <th className="col-time">Time</th>
            <th className="col-source">Source</th>
            <th className="col-level">Level</th>
            {columns.map((c) => (
              <th key={c} className="col-field">{c}</th>
            ))}
            <th>Message</th>
          </tr>
        </thead>
        <Spacer height={rows.before} span={4 + columns.length} />
        {hits.slice(rows.start, rows.end).map((hit) => (
          <HitRow
            key={hit.id}
            hit={hit}
            source={sources[hit.source]}
            terms={terms}
            columns={columns}
            onFilter={onFilter}
            onContext={onContext}
            marked={hit.id === found}
            measure={rows.measure}
          />
        ))}
        <Spacer height={rows.after} span={4 + columns.length} />
      </table>
      <div ref={sentinel} className="table-end muted" data-testid="table-end">
        {search.isFetchingNextPage
          ? 'Loading more…'
          : search.hasNextPage
            ? <button type="button" onClick={() => void search.fetchNextPage()}>Load more</button>
            : hits.length >= MAX_ROWS
              ? `Showing the newest ${MAX_ROWS.toLocaleString()} lines; narrow the range or the query to see older ones.`
              : 'End of results.'}
      </div>
    </div>
  );
}

/** Stands for the rows not rendered, so the scrollbar and the page length stay true. */
function Spacer({ height, span }: { height: number; span: number }) {
  if (height <= 0) return null;
  return (
    <tbody aria-hidden="true">
      <tr className="spacer">
        <td colSpan={span} style={{ height, padding: 0, border: 'none' }} />
      </tr>
    </tbody>
  );
}

interface RowProps {
  measure?: (id: string, element: HTMLElement | null) => void;
  hit: Hit;
  source: SourceInfo | undefined;
  terms: string[];
  columns: string[];
  onFilter?: (filter: FilterClause) => void;
  onContext?: (hit: Hit) => void;
  marked?: boolean;
}

/** Memoized: live tail prepends rows many times a second, and the rows below do not change. */
export const HitRow = memo(function HitRow({ hit, source, terms, columns, onFilter, onContext, marked, measure }: RowProps) {
  const [open, setOpen] = useState(false);
  const [full, setFull] = useState(false);
  const message = full || hit.message.length <= PREVIEW_CHARS ? hit.message : hit.message.slice(0, PREVIEW_CHARS);
  const label = source ? `${source.namespace}/${source.pod}/${source.container}` : hit.source;
  return (
    <tbody className="hit-group" ref={(element) => measure?.(hit.id, element)}>
      <tr
        className={`hit${open ? ' open' : ''}${marked ? ' marked' : ''}`}
        data-testid="hit-row"
        data-hit-id={hit.id}
        tabIndex={0}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.target !== e.currentTarget) return;
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            setOpen(!open);
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            const rows = [...document.querySelectorAll<HTMLElement>('[data-testid=hit-row]')];
            rows[rows.indexOf(e.currentTarget) + (e.key === 'ArrowDown' ? 1 : -1)]?.focus();
          }
        }}
      >
        <td className="col-time mono">{formatLocal(Date.parse(hit.ts))}.{hit.ts.slice(20, 23)}</td>
        <td className="col-source" title={label}>
          {source ? `${source.namespace}/${shortPod(source.pod)}/${source.container}` : hit.source}
        </td>
        <td className="col-level">
          <span className={`badge level-${hit.level}`}>{hit.level}</span>
        </td>
        {columns.map((c) => (
          <td key={c} className="col-field mono">{fieldValue(hit, source, c) ?? '—'}</td>
        ))}
        <td className="message mono" data-testid="hit-message">
          {highlight(message, terms)}
          {message.length < hit.message.length && (
            <button
              type="button"
              className="link"
              onClick={(e) => {
                e.stopPropagation();
                setFull(true);
                setOpen(true); // an open row wraps: one unbroken line of a megabyte takes the browser seconds to lay out
              }}
            >
              … show all ({hit.message.length.toLocaleString()} characters)
            </button>
          )}
          {hit.truncated && <span className="muted"> [cut by the collector]</span>}
        </td>
      </tr>
      {open && (
        <tr className="hit-details" data-testid="hit-details">
          <td colSpan={4 + columns.length}>
            <HitDetails hit={hit} source={source} onFilter={onFilter} onContext={onContext} />
          </td>
        </tr>
      )}
    </tbody>
  );
});

/** The value a row shows for field `name`: built-ins, `labels.*`, or an extracted field. */
export function fieldValue(hit: Hit, source: SourceInfo | undefined, name: string): string | undefined {
  if (name === 'stream' || name === 'level' || name === 'message') return hit[name];
  if (source && (name === 'namespace' || name === 'pod' || name === 'container' || name === 'node')) return source[name];
  if (name.startsWith('labels.')) return source?.labels[name.slice('labels.'.length)];
  if (!Object.hasOwn(hit.fields, name)) return undefined;
  const value = hit.fields[name];
  return typeof value === 'string' ? value : JSON.stringify(value);
}

interface DetailsProps {
  hit: Hit;
  source: SourceInfo | undefined;
  onFilter?: (filter: FilterClause) => void;
  onContext?: (hit: Hit) => void;
}

function HitDetails({ hit, source, onFilter, onContext }: DetailsProps) {
  const names = [
    'stream',
    'level',
    ...(source ? ['namespace', 'pod', 'container', 'node', ...Object.keys(source.labels).map((k) => `labels.${k}`)] : []),
    ...Object.keys(hit.fields),
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
        <button type="button" onClick={() => void navigator.clipboard?.writeText(hit.message)}>
          Copy message
        </button>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(json)}>
          Copy JSON
        </button>
      </div>
      <table className="fields">
        <tbody>
          <tr>
            <th>ts</th>
            <td className="mono">{hit.ts}</td>
            <td />
          </tr>
          {names.map((name) => {
            const value = fieldValue(hit, source, name) ?? '';
            const filterable = onFilter && isQueryableField(name);
            return (
              <tr key={name} data-testid="detail-field" data-field={name}>
                <th>{name}</th>
                <td className="mono">{value}</td>
                <td className="detail-filters">
                  {filterable && (
                    <>
                      <button type="button" title="Filter for value" aria-label={`Filter for ${name}`} onClick={() => onFilter({ field: name, value, op: 'is' })}>+</button>
                      <button type="button" title="Filter out value" aria-label={`Filter out ${name}`} onClick={() => onFilter({ field: name, value, op: 'is not' })}>−</button>
                      <button type="button" title="Filter for field present" aria-label={`Filter ${name} exists`} onClick={() => onFilter({ field: name, value: '', op: 'exists' })}>∃</button>
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <details>
        <summary>JSON</summary>
        <pre className="mono">{json}</pre>
      </details>
    </div>
  );
}

/** `checkout-7d9f8b6c5-x2k4p` → `checkout-…x2k4p`: the table shows the part that tells pods apart. */
function shortPod(pod: string): string {
  const m = /^(.*)-[a-z0-9]{8,10}-([a-z0-9]{5})$/.exec(pod);
  return m ? `${m[1]}-…${m[2]}` : pod;
}

/** The message with each case-insensitive occurrence of a term in a <mark>, as React text nodes. */
export function highlight(text: string, terms: string[]): ReactNode {
  const wanted = terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  if (wanted.length === 0) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let length = 0;
    for (const term of wanted) {
      const i = lower.indexOf(term, at);
      if (i !== -1 && (best === -1 || i < best || (i === best && term.length > length))) {
        best = i;
        length = term.length;
      }
    }
    if (best === -1) break;
    if (best > at) out.push(text.slice(at, best));
    out.push(<mark key={best}>{text.slice(best, best + length)}</mark>);
    at = best + length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
