'use client';
// The Discover page: the view comes from the URL, and a search resolves its relative range
// (`now-15m`) to fixed instants once, so the histogram and the table of one search agree and
// paging does not drift. Auto-refresh re-resolves on its interval.
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { composeQuery, type FilterClause } from '@/common/query-text';
import type { Hit } from '@/common/read-api';
import { ContextView } from './context-view';
import { FieldList } from './field-list';
import { FilterPills } from './filter-pills';
import { HitHistogram } from './hit-histogram';
import { LogTable } from './log-table';
import { ApiError, type SearchKey } from './queries';
import { SearchBar } from './search-bar';
import { StoreStatus } from './store-status';
import { TimePicker } from './time-picker';
import { useLiveTail } from './use-live-tail';
import { freeTextTerms, readView, REFRESH_INTERVALS, resolveRange, type ViewState, writeView } from './view-state';

export function Discover() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => readView(new URLSearchParams(searchParams.toString())), [searchParams]);
  // When "now" was last read; a new search or a refresh tick moves it.
  const [anchor, setAnchor] = useState(() => Date.now());
  const [searchError, setSearchError] = useState<ApiError | Error | null>(null);
  const [contextHit, setContextHit] = useState<Hit | null>(null);
  const [tailing, setTailing] = useState(false);
  const [scrolledAway, setScrolledAway] = useState(false);

  // The view last asked for: two changes in quick succession (a query, then a range) must both
  // land, though the URL, and with it `view`, catches up only after the first navigation.
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  }, [view]);
  const update = useCallback(
    (change: Partial<ViewState>) => {
      const next = { ...latest.current, ...change };
      latest.current = next;
      setAnchor(Date.now());
      // The history API, not router.push: the view lives in the URL alone, and since the page
      // is rendered per request (its CSP nonce) a router navigation fetched it from the server
      // again on every search, range or filter change, and the view lagged behind. Next keeps
      // useSearchParams and Back in step with pushState.
      window.history.pushState(null, '', `${pathname}${writeView(next)}`);
    },
    [pathname],
  );
  const addFilter = useCallback(
    (filter: FilterClause) => {
      const same = (f: FilterClause) => f.field === filter.field && f.value === filter.value && f.op === filter.op;
      const filters = latest.current.filters;
      if (!filters.some(same)) update({ filters: [...filters, filter] });
    },
    [update],
  );
  const toggleColumn = useCallback(
    (field: string) => {
      const columns = latest.current.columns;
      update({ columns: columns.includes(field) ? columns.filter((c) => c !== field) : [...columns, field] });
    },
    [update],
  );

  useEffect(() => {
    const every = REFRESH_INTERVALS[view.refresh];
    if (!every || tailing) return;
    const timer = setInterval(() => setAnchor(Date.now()), every);
    return () => clearInterval(timer);
  }, [view.refresh, tailing]);
  useEffect(() => {
    const onScroll = () => setScrolledAway(window.scrollY > 200);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  const query = useMemo(() => composeQuery(view.q, view.filters), [view.q, view.filters]);
  const resolved = useMemo(() => resolveRange(view, anchor), [view, anchor]);
  const range = 'error' in resolved ? null : resolved;
  const searchKey: SearchKey | null = range ? { q: query, fromMs: range.fromMs, toMs: range.toMs } : null;
  const terms = useMemo(() => freeTextTerms(view.q), [view.q]);
  const live = useLiveTail(query, tailing && !(searchError instanceof ApiError), scrolledAway);
  const queryError =
    searchError instanceof ApiError && searchError.code === 'query_syntax'
      ? { message: searchError.message, position: searchError.position }
      : null;
  const exportHref = (format: 'ndjson' | 'csv') =>
    range ? `/api/export?${new URLSearchParams({ q: query, from: String(range.fromMs), to: String(range.toMs), format })}` : undefined;

  return (
    <div className="discover">
      <header className="topbar">
        <span className="brand">Logpond</span>
        <StoreStatus />
      </header>
      <div className="controls">
        <SearchBar value={view.q} range={range} error={view.filters.length === 0 ? queryError : queryError && { message: queryError.message }} onSubmit={(q) => update({ q })} />
        <FilterPills filters={view.filters} onChange={(filters) => update({ filters })} />
        <div className="control-row">
          <TimePicker view={view} resolved={range} onChange={update} />
          <label className="toggle" data-testid="live-tail">
            <input type="checkbox" checked={tailing} onChange={(e) => setTailing(e.target.checked)} /> Live tail
            {tailing && <span className={live.connected ? 'dot on' : 'dot'} aria-label={live.connected ? 'connected' : 'connecting'} />}
          </label>
          <span className="exports">
            Export:{' '}
            <a href={exportHref('ndjson')} download data-testid="export-ndjson">
              NDJSON
            </a>{' '}
            <a href={exportHref('csv')} download data-testid="export-csv">
              CSV
            </a>
          </span>
        </div>
      </div>
      {'error' in resolved && (
        <div className="empty error" role="alert" data-testid="range-error">
          {resolved.error}
        </div>
      )}
      {tailing && live.waiting > 0 && (
        <button type="button" className="new-lines" data-testid="new-lines" onClick={() => window.scrollTo({ top: 0 })}>
          {live.waiting.toLocaleString()} new line{live.waiting === 1 ? '' : 's'} — back to the top
        </button>
      )}
      {searchKey && (
        <div className="workspace">
          <FieldList searchKey={searchKey} columns={view.columns} onFilter={addFilter} onToggleColumn={toggleColumn} />
          <main className="results">
            <HitHistogram
              searchKey={searchKey}
              onRange={(fromMs, toMs) => update({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() })}
            />
            <LogTable
              searchKey={searchKey}
              terms={terms}
              columns={view.columns}
              live={live}
              onError={setSearchError}
              onFilter={addFilter}
              onContext={setContextHit}
            />
          </main>
        </div>
      )}
      {contextHit && <ContextView hit={contextHit} columns={view.columns} onClose={() => setContextHit(null)} />}
    </div>
  );
}
