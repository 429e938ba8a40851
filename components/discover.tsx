'use client';
// The Discover page: the view comes from the URL, and a search resolves its relative range
// (`now-15m`) to fixed instants once, so the histogram and the table of one search agree and
// paging does not drift. Auto-refresh re-resolves on its interval.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { composeQuery, type FilterClause } from '@/common/query-text';
import type { Hit } from '@/common/read-api';
import { ContextView } from './context-view';
import { FieldList } from './field-list';
import { AddFilter } from './add-filter';
import { FilterPills } from './filter-pills';
import { HitHistogram } from './hit-histogram';
import { LogTable } from './log-table';
import { PatternsView, patternsLimit } from './patterns-view';
import { ApiError, askable, isRefusal, histogramOptions, type HistogramShape, patternsOptions, prefetchSearch, searchAgain, type SearchKey, searchOptions } from './queries';
import { SearchBar } from './search-bar';
import { AccountMenu } from './account-menu';
import { PageSettings } from './page-settings';
import { usePreferences } from './preferences';
import { SavedSearches } from './saved-searches';
import { ShareLink } from './share-link';
import { StoreStatus } from './store-status';
import { formatInZone, TimeZoneContext, zoneName } from './time-zone';
import { TimePicker } from './time-picker';
import { useLiveTail } from './use-live-tail';
import { useReadingPlace } from './reading-place';
import { useTailMode } from './use-tail-mode';
import { useAutoRefresh } from './use-auto-refresh';
import { useOnFirstLines, useOnLinesReaching } from './empty-store';
import { DEFAULT_VIEW, freeTextTerms, HISTOGRAM_INTERVALS, readView, RESULT_TABS, resolveRange, spanUntilNow, type ViewState, withFilter, writeView } from './view-state';

const NO_SEARCH: SearchKey = { q: '', fromMs: 0, toMs: 1 };
const NO_LINES = { hits: [], sources: {} };
/** The server's export cap (MAX_EXPORT_LINES), said where the links are. */
const EXPORT_TITLE = 'Every matching line in the range, up to 1,000,000, in the table\'s order';

/**
 * `q` with the field name at `position` of the composed query (q and the filter pills) replaced,
 * or null when that position is not inside `q`.
 */
function renameField(q: string, filters: FilterClause[], position: number, field: string, replacement: string): string | null {
  const at = typedPosition(q, filters, position);
  return q.slice(at, at + field.length) === field ? q.slice(0, at) + replacement + q.slice(at + field.length) : null;
}

/**
 * A position in the composed query (q in parentheses, and the pills) as a position in `q`; one in
 * the pills' part, as where a parenthesis left open is noticed, is the end of `q`.
 */
function typedPosition(q: string, filters: readonly FilterClause[], position: number): number {
  const lead = q.length - q.trimStart().length;
  const wrapped = q.trim() !== '' && composeQuery(q, filters) !== q.trim();
  return Math.max(0, Math.min(q.trimEnd().length, position - (wrapped ? 1 : 0) + lead));
}

/** The server's syntax error about the composed query, told of the query as typed. */
function typedError(q: string, filters: readonly FilterClause[], error: { message: string; position?: number }) {
  if (error.position === undefined) return error;
  const position = typedPosition(q, filters, error.position);
  return { message: error.message.replace(` at ${error.position}`, ` at ${position}`), position };
}

function histogramShapeOf(view: ViewState, zone: string): HistogramShape {
  return { split: view.split, intervalMs: view.interval ? HISTOGRAM_INTERVALS[view.interval] : null, zone };
}

/** What changes the lines asked for: columns, widths, order, wrapping and an opened line do not. */
function searchedPart(view: ViewState): string {
  return writeView({ ...DEFAULT_VIEW, q: view.q, from: view.from, to: view.to, filters: view.filters, refresh: view.refresh });
}

export function Discover() {
  const [preferences, setPreferences] = usePreferences();
  // Date math (now/d, now-1M) counts days and months in the zone the user reads times in.
  const zone = zoneName(preferences.timeZone);
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => readView(new URLSearchParams(searchParams.toString())), [searchParams]);
  // When "now" was last read: each new view reads it once, as does each refresh tick or repeated
  // search. Read while rendering that view, not before its navigation, so a search never runs
  // the previous view again at a new instant first.
  const [refreshes, setRefreshes] = useState(0);
  /** Searches run from the query box (see TimePicker's searchesFromBox). */
  const [searchesFromBox, setSearchesFromBox] = useState(0);
  // Only what changes the lines asked for moves "now", so columns, widths, order and an opened
  // line never re-run the histogram or the field list.
  const searched = searchedPart(view);
  const [anchored, setAnchored] = useState(() => ({ searched, refreshes, at: Date.now() }));
  // A search typed or clicked has already read "now" and started its requests (see `update`);
  // the render that follows must ask for the same instants to find them in flight.
  const submitted = useRef<{ searched: string; at: number } | null>(null);
  let anchor = anchored.at;
  if (anchored.searched !== searched) {
    anchor = submitted.current?.searched === searched ? submitted.current.at : Date.now();
    setAnchored({ searched, refreshes, at: anchor });
  } else if (anchored.refreshes !== refreshes) {
    anchor = Date.now();
    setAnchored({ searched, refreshes, at: anchor });
  }
  useEffect(() => {
    // Taken: Back and Forward later read "now" afresh. Only once taken, as another render (an
    // auto-refresh tick) may commit before the one of the submitted view.
    if (submitted.current?.searched === anchored.searched) submitted.current = null;
  }, [anchored]);
  const queryClient = useQueryClient();
  const [fieldsDrawer, setFieldsDrawer] = useState(false);
  // Bounds typed into the time picker and not applied: a search takes them with its query.
  const pendingRange = useRef<Pick<ViewState, 'from' | 'to'> | null>(null);
  const setPendingRange = useCallback((bounds: Pick<ViewState, 'from' | 'to'> | null) => {
    pendingRange.current = bounds;
  }, []);
  // And a query typed and not searched: a new range searches it with it, as Kibana's Update does.
  const pendingQuery = useRef<string | null>(null);
  const setPendingQuery = useCallback((q: string | null) => {
    pendingQuery.current = q;
  }, []);

  // The view last asked for: two changes in quick succession (a query, then a range) must both
  // land, though the URL, and with it `view`, catches up only after the first navigation.
  const latest = useRef(view);
  useEffect(() => {
    latest.current = view;
  }, [view]);
  /** The same search again: fresh results up to now, or over a fixed range, asked again. */
  const searchAgainNow = useCallback(() => {
    setRefreshes((n) => n + 1);
    const view = latest.current;
    if (/^now/i.test(view.from.trim()) || /^now/i.test(view.to.trim())) return; // a new "now" makes a new key
    const range = resolveRange(view, Date.now(), zone);
    if (!('error' in range)) void searchAgain(queryClient, { q: composeQuery(view.q, view.filters), ...range });
  }, [queryClient, zone]);
  const { tailing, tailingNow, tailNow, begin: beginTail, leave: leaveTail, stop: stopTail, paused: tailPaused, setPaused: setTailPaused } = useTailMode(view.to, searchAgainNow);
  const { scrolledAway, refreshHeld, dropHeld } = useAutoRefresh(view.refresh, tailing, searchAgainNow);
  const update = useCallback(
    (change: Partial<ViewState>) => {
      const previous = latest.current;
      const next = { ...previous, ...change };
      const unchanged = writeView(next) === writeView(previous);
      latest.current = next;
      // The history API, not router.push: the view lives in the URL alone, and since the page
      // is rendered per request (its CSP nonce) a router navigation would fetch it from the
      // server again on every change. Next keeps useSearchParams and Back in step with pushState.
      if (unchanged) {
        searchAgainNow();
        return;
      }
      // A range ending at a fixed time (a zoom, a typed range) leaves live tail, as in Grafana:
      // new lines on top of it would mix two times.
      if (tailingNow.current && (next.from !== previous.from || next.to !== previous.to) && !/^now/i.test(next.to.trim())) leaveTail();
      if (searchedPart(next) !== searchedPart(previous)) {
        dropHeld(); // a new search is fresh: a tick held before it has nothing to catch up
        // The requests start now, not after React has rendered the new view with the old rows.
        const at = Date.now();
        const range = resolveRange(next, at, zone);
        submitted.current = { searched: searchedPart(next), at };
        // While tailing, the histogram counts up to its own "now" (countKey): not this key.
        if (!('error' in range)) {
          const key = { q: composeQuery(next.q, next.filters), ...range };
          const histogram = tailingNow.current ? undefined : histogramShapeOf(next, zone);
          if (next.tab === 'patterns') {
            // Only for a new query, whose patterns start a screenful long: with the same query the
            // tab may show more (patterns-view.tsx), and a screenful would be computed for nothing.
            if (key.q !== composeQuery(previous.q, previous.filters)) void queryClient.prefetchQuery(patternsOptions(key, zone));
            if (histogram !== undefined) void queryClient.prefetchQuery(histogramOptions(key, histogram));
          } else {
            prefetchSearch(queryClient, key, next.order, histogram);
          }
        }
      }
      // A column's width is not a step to go back through, as in Kibana: dragging or a run of
      // arrow presses would otherwise leave one entry per pixel step before the search behind it.
      // Nor is saving the view, which only names what is on screen, or wrapping its lines, or
      // opening and closing a line's surrounding lines (`line`): Back then reopened every dialog
      // closed since the search, as Kibana's document flyout never does.
      const noStep = Object.keys(change).every((k) => k === 'widths' || k === 'saved' || k === 'wrap' || k === 'line');
      window.history[noStep ? 'replaceState' : 'pushState'](null, '', `${pathname}${writeView(next)}`);
    },
    [pathname, queryClient, zone, searchAgainNow, tailingNow, leaveTail, dropHeld],
  );
  const addFilter = useCallback(
    (filter: FilterClause) => {
      const filters = latest.current.filters;
      const next = withFilter(filters, filter);
      if (next !== filters) update({ filters: [...next] });
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

  // Stable callbacks: the histogram and the field list are memoized, and a Recharts redraw on
  // every render of the page cost a search a visible fraction of a second.
  const closeDrawer = useCallback(() => setFieldsDrawer(false), []);
  // Saving in place keeps the id: an unchanged URL would count as searching again.
  const markSaved = useCallback((saved: string | null) => latest.current.saved !== saved && update({ saved }), [update]);
  const filterFromFields = useCallback(
    (filter: FilterClause) => {
      setFieldsDrawer(false);
      addFilter(filter);
    },
    [addFilter],
  );
  const visualize = useCallback(
    (split: string | null) => {
      setFieldsDrawer(false);
      // The bars are stacked by level already: that is no split (the menu listed level twice).
      update({ split: split === 'level' ? null : split });
    },
    [update],
  );
  const splitBy = useCallback((split: string | null) => update({ split }), [update]);
  const setWrap = useCallback((wrap: boolean) => update({ wrap }), [update]);
  const chooseInterval = useCallback((interval: ViewState['interval']) => update({ interval }), [update]);
  // Stable, as every row of the table takes it and the rows are memoized.
  const openContext = useCallback((hit: Hit) => update({ line: hit.id }), [update]);
  // An interval the zoomed range cannot hold two bars of would leave one bar, and nothing to zoom
  // into: back to Auto then.
  const zoom = useCallback(
    (fromMs: number, toMs: number) =>
      update({
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        ...(view.interval !== null && HISTOGRAM_INTERVALS[view.interval] * 2 > toMs - fromMs ? { interval: null } : {}),
      }),
    [update, view.interval],
  );

  // A first start: the page opened on an empty store shows the first lines once they are stored.
  useOnFirstLines(searchAgainNow);

  const query = useMemo(() => composeQuery(view.q, view.filters), [view.q, view.filters]);
  const resolved = useMemo(() => resolveRange(view, anchor, zone), [view, anchor, zone]);
  const range = 'error' in resolved ? null : resolved;
  useOnLinesReaching(range?.fromMs ?? null, searchAgainNow);
  const searchKey: SearchKey | null = useMemo(() => (range ? { q: query, fromMs: range.fromMs, toMs: range.toMs } : null), [query, range]);
  // The page's own look at the search (the table shares its cache, so no second request): a
  // query the server refuses leaves the last good result on screen, dimmed, beside the error.
  // On the Patterns tab that look is the patterns' request: the hidden table asks for nothing,
  // so on two cores the patterns are counted without a search beside them.
  const onPatterns = view.tab === 'patterns';
  const currentSearch = useInfiniteQuery({
    ...searchOptions(searchKey ?? NO_SEARCH, view.order),
    enabled: searchKey === null || onPatterns ? false : askable,
    // The page needs only whether the search failed or succeeded; the table renders the rows.
    notifyOnChangeProps: ['error', 'isSuccess', 'isFetchNextPageError'],
  });
  // The patterns the tab shows, with as many as it shows: a screenful asked beside them would be
  // counted for nothing.
  const [morePatternsFor, setMorePatternsFor] = useState<string | null>(null);
  const currentPatterns = useQuery({
    ...patternsOptions(searchKey ?? NO_SEARCH, zone, patternsLimit(morePatternsFor, searchKey?.q ?? '')),
    enabled: searchKey === null || !onPatterns ? false : askable,
    notifyOnChangeProps: ['error', 'isSuccess'],
  });
  const current = onPatterns ? currentPatterns : currentSearch;
  // A later page of older lines that failed is the table's to report: the search stands.
  const searchError = searchKey && !(current === currentSearch && currentSearch.isFetchNextPageError) ? current.error : null;
  const refused = isRefusal(searchError);
  const [lastGood, setLastGood] = useState<SearchKey | null>(null);
  useEffect(() => {
    if (current.isSuccess && searchKey) setLastGood(searchKey);
  }, [current.isSuccess, searchKey]);
  const shownKey = refused && lastGood ? lastGood : searchKey;
  const stale = shownKey !== searchKey;
  // While tailing, the count and histogram follow the lines arriving: they re-read up to now every
  // few seconds (tailNow), while the table keeps its rows and takes new ones from the tail.
  const countKey = useMemo(() => {
    if (tailNow === null || stale || !shownKey) return shownKey;
    const moved = resolveRange(view, tailNow, zone);
    return 'error' in moved ? shownKey : { ...shownKey, ...moved };
  }, [tailNow, stale, shownKey, view, zone]);
  // While tailing, what the page says it covers (the range under the picker, Share, Export) is what
  // the count and histogram cover: up to their last "now", not the moment the tail was turned on.
  const covered = useMemo(() => (countKey && tailNow !== null ? { fromMs: countKey.fromMs, toMs: countKey.toMs } : range), [countKey, tailNow, range]);
  const terms = useMemo(() => freeTextTerms(view.q), [view.q]);
  const filtersOn = view.filters.filter((f) => !f.disabled).length;
  // A query the server refuses cannot be tailed either; one a busy server failed to search (a
  // 5xx, a timeout) can, and the tail is what the reader waits on then.
  const live = useLiveTail(query, tailing && !refused, scrolledAway || tailPaused, refreshes);
  const readingPlace = useReadingPlace();
  // The lines a stopped tail showed stay on top of the table until the search it made up to now
  // has answered (with them): the rows do not drop away and come back while it runs.
  const [tailStoppedOn, setTailStoppedOn] = useState<SearchKey | null>(null);
  if (tailing && tailStoppedOn) setTailStoppedOn(null);
  if (!tailing && tailStoppedOn && searchKey !== tailStoppedOn && currentSearch.isSuccess) setTailStoppedOn(null);
  const tableLive = tailing || tailStoppedOn ? live : NO_LINES;
  // Any refusal is the query's to explain, under the box: the table keeps the last good results
  // (see `refused`), so the reason would otherwise be nowhere. A syntax error gets its caret.
  const queryError = useMemo(() => {
    if (!(searchError instanceof ApiError) || !refused) return null;
    if (searchError.code === 'query_syntax') return typedError(view.q, view.filters, { message: searchError.message, position: searchError.position });
    return { message: searchError.message };
  }, [searchError, refused, view.q, view.filters]);
  // What the table shows, in its order and its time zone; a CSV gets the table's columns after its own.
  const exportHref = (format: 'ndjson' | 'csv') =>
    covered
      ? `/api/export?${new URLSearchParams({ q: query, from: String(covered.fromMs), to: String(covered.toMs), format, order: view.order, tz: zone, ...(format === 'csv' && view.columns.length > 0 ? { columns: view.columns.join(',') } : {}) })}`
      : undefined;

  return (
    <TimeZoneContext.Provider value={preferences.timeZone}>
    <div className="discover">
      <header className="topbar">
        <span className="brand">Logpond</span>
        <StoreStatus />
        <PageSettings preferences={preferences} onChange={setPreferences} />
        <AccountMenu />
      </header>
      <div className="controls">
        <SearchBar
          value={view.q}
          range={range}
          error={queryError}
          onPending={setPendingQuery}
          onSubmit={(q) => {
            setSearchesFromBox((n) => n + 1);
            update({ q, ...pendingRange.current });
          }}
        />
        <div className="filter-row">
          <FilterPills filters={view.filters} onChange={(filters) => update({ filters })} searchKey={shownKey} />
          <AddFilter searchKey={shownKey} onAdd={addFilter} />
        </div>
        <div className="control-row">
          <TimePicker
            view={view}
            resolved={covered}
            onChange={(change) => update(change.from === undefined || pendingQuery.current === null ? change : { ...change, q: pendingQuery.current })}
            onPending={setPendingRange}
            searchesFromBox={searchesFromBox}
          />
          <button type="button" className="fields-toggle" aria-expanded={fieldsDrawer} onClick={() => setFieldsDrawer(true)}>
            Fields
          </button>
          <label className="toggle" data-testid="live-tail">
            <input
              type="checkbox"
              checked={tailing}
              onChange={(e) => {
                if (!e.target.checked) {
                  setTailStoppedOn(searchKey);
                  stopTail();
                  return;
                }
                beginTail();
                const changes: Partial<ViewState> = view.order === 'desc' ? {} : { order: 'desc' };
                // New lines on top of a past range's rows, beside its count and histogram, would
                // mix two times: tail the same span, ending now.
                if (view.to !== 'now' && range && range.toMs < Date.now()) Object.assign(changes, { from: spanUntilNow(range.toMs - range.fromMs), to: 'now' });
                if (Object.keys(changes).length > 0) update(changes);
                // Searched again up to now, so the lines stored since the last search are no gap
                // above the tail's (a new range is a new search anyway).
                if (changes.from === undefined) searchAgainNow();
              }}
            />{' '}
            Live tail
            {tailing && !refused && <span className={live.connected ? 'dot on' : 'dot'} aria-label={live.connected ? 'connected' : 'connecting'} />}
          </label>
          {tailing && (
            <button type="button" className="tail-pause" aria-pressed={tailPaused} onClick={() => setTailPaused(!tailPaused)}>
              Pause
            </button>
          )}
          {tailing && refused && (
            <span className="error small" role="status" data-testid="tail-problem">
              Live tail waits for a query the server can read
            </span>
          )}
          {tailing && live.problem && (
            <span className="error small" role="status" data-testid="tail-problem">
              {live.stopped ? `Live tail stopped: ${live.problem}; turn it off and on to try again` : `Live tail: ${live.problem}; trying again`}
            </span>
          )}
          {tailing && live.skipped && (
            <span className="error small" role="status" data-testid="tail-skipped">
              Live tail was away: lines from {formatInZone(Date.parse(live.skipped.from), zone)} to {formatInZone(Date.parse(live.skipped.to), zone)} are not in the table. Search to see them.
            </span>
          )}
          <SavedSearches view={view} onOpen={update} onCurrent={markSaved} />
          <ShareLink view={view} range={covered} />
          <span className="exports">
            Export:{' '}
            {range && !refused ? (
              <>
                <a href={exportHref('ndjson')} download data-testid="export-ndjson" title={EXPORT_TITLE}>
                  NDJSON
                </a>{' '}
                <a href={exportHref('csv')} download data-testid="export-csv" title={`${EXPORT_TITLE}, with the table's columns`}>
                  CSV
                </a>
              </>
            ) : (
              // A download of a query the server refuses would be a file of its error.
              <span className="muted" data-testid="export-off" title={range ? 'Fix the query to export' : 'Fix the time range to export'}>
                NDJSON CSV
              </span>
            )}
          </span>
        </div>
      </div>
      {'error' in resolved && (
        <div className="empty error" role="alert" data-testid="range-error">
          {resolved.error}
        </div>
      )}
      {refreshHeld && (
        <button type="button" className="new-lines" data-testid="refresh-paused" onClick={() => window.scrollTo({ top: 0 })}>
          Auto-refresh waits while you read — back to the top to refresh
        </button>
      )}
      {tailing && live.waiting > 0 && view.tab === 'documents' && (
        <button
          type="button"
          className="new-lines"
          data-testid="new-lines"
          onClick={() => {
            setTailPaused(false);
            if (scrolledAway) window.scrollTo({ top: 0 });
          }}
        >
          {live.waiting.toLocaleString()} new line{live.waiting === 1 ? '' : 's'} — {tailPaused ? 'resume' : 'back to the top'}
        </button>
      )}
      {searchKey && shownKey && (
        <div className="workspace">
          <FieldList
            searchKey={shownKey}
            ready={stale || current.isSuccess || current.isError}
            columns={view.columns}
            onFilter={filterFromFields}
            onToggleColumn={toggleColumn}
            onVisualize={visualize}
            drawerOpen={fieldsDrawer}
            onCloseDrawer={closeDrawer}
          />
          <main className={stale ? 'results stale' : 'results'} data-testid="results" aria-disabled={stale || undefined}>
            {stale && (
              <div className="stale-note" role="status" data-testid="stale-results">
                Fix the query above to search; the results below are from the last search.
              </div>
            )}
            <HitHistogram
              searchKey={countKey ?? shownKey}
              split={view.split}
              onSplit={splitBy}
              interval={view.interval}
              onInterval={chooseInterval}
              onRange={zoom}
              announce={!tailing && view.refresh === 'off'}
            />
            <div className="result-tabs" role="tablist" aria-label="Results">
              {RESULT_TABS.map((tab, i) => (
                <button
                  key={tab}
                  type="button"
                  role="tab"
                  id={`tab-${tab}`}
                  aria-selected={view.tab === tab}
                  aria-controls={`panel-${tab}`}
                  tabIndex={view.tab === tab ? 0 : -1}
                  data-testid={`tab-${tab}`}
                  onClick={() => update({ tab })}
                  onKeyDown={(e) => {
                    // ← → move between the tabs, Home and End to the first and the last, as in any tab list (WAI-ARIA).
                    const step: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i + RESULT_TABS.length - 1, Home: 0, End: RESULT_TABS.length - 1 };
                    if (!Object.hasOwn(step, e.key)) return;
                    e.preventDefault();
                    const next = RESULT_TABS[step[e.key] % RESULT_TABS.length];
                    update({ tab: next });
                    document.getElementById(`tab-${next}`)?.focus();
                  }}
                >
                  {tab === 'documents' ? 'Documents' : 'Patterns'}
                </button>
              ))}
            </div>
            {view.tab === 'patterns' ? (
              <div role="tabpanel" id="panel-patterns" aria-labelledby="tab-patterns">
                {tailing && (
                  <p className="muted small" role="note" data-testid="patterns-not-live">
                    Live tail adds new lines to Documents only: these patterns are of the search.
                  </p>
                )}
                <PatternsView searchKey={shownKey} onFilter={addFilter} typed={view.q.trim() !== ''} filtersOn={filtersOn} moreFor={morePatternsFor} onMore={setMorePatternsFor} />
              </div>
            ) : (
            <div role="tabpanel" id="panel-documents" aria-labelledby="tab-documents">
            <LogTable
              searchKey={shownKey}
              terms={terms}
              columns={view.columns}
              live={tableLive}
              tailing={tailing}
              onFilter={addFilter}
              onToggleColumn={toggleColumn}
              onContext={openContext}
              order={view.order}
              wrap={view.wrap}
              onWrap={setWrap}
              widths={view.widths}
              onOrder={(order) => {
                if (order === 'asc') stopTail(); // tailed lines go on top of a newest-first table
                update({ order });
              }}
              onColumns={(columns) => update({ columns })}
              onWidth={(column, width) => update({ widths: { ...latest.current.widths, [column]: width } })}
              onRenameField={(position, field, replacement) => {
                const q = renameField(view.q, view.filters, position, field, replacement);
                if (q !== null) update({ q });
              }}
              typed={view.q.trim() !== ''}
              filtersOn={filtersOn}
              place={readingPlace}
            />
            </div>
            )}
          </main>
        </div>
      )}
      {view.line && <ContextView id={view.line} columns={view.columns} onClose={() => update({ line: null })} />}
    </div>
    </TimeZoneContext.Provider>
  );
}
