'use client';
// The hits, newest first (rows in hit-row.tsx). More pages load as the end comes into view, up to
// MAX_ROWS; only the rows near the viewport are in the DOM.
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { type CSSProperties, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type FilterClause, quoteValue } from '@/common/query-text';
import type { Hit, SourceInfo } from '@/common/read-api';
import { EmptyStore, useNewestStored, useStoreIsEmpty } from './empty-store';
import { newestText } from './store-status';
import { useTimeZone } from './time-zone';
import { focusFilterPill } from './filter-pills';
import { FindInResults } from './find-in-results';
import { mergeNewestFirst } from './hit-order';
import { noMatchAdvice } from './no-match-advice';
import type { ReadingPlace } from './reading-place';
import { HitRow } from './hit-row';
import { TableHeader } from './table-header';
import { ApiError, MAX_ROWS, type SearchKey, searchOptions } from './queries';
import { TryAgain } from './try-again';
import { useRowWindow } from './use-row-window';
import { useReaderMoved } from './use-reader-moved';

/** How long at most the table keeps scrolling to a match it was asked to show, while rows are measured. */
const SEEK_MS = 3_000;

interface Props {
  searchKey: SearchKey;
  terms: string[];
  columns: string[];
  /** Lines the live tail brought, newest first, shown above the search's own. */
  live: { hits: Hit[]; sources: Record<string, SourceInfo> };
  /** Whether the live tail is on: an empty table then waits for lines rather than advising. */
  tailing: boolean;
  onFilter: (filter: FilterClause) => void;
  onToggleColumn: (field: string) => void;
  onContext: (hit: Hit) => void;
  order: 'desc' | 'asc';
  /** Whether long lines wrap (kept in the URL, so a link and the Patterns tab keep it). */
  wrap: boolean;
  onWrap: (wrap: boolean) => void;
  widths: Record<string, number>;
  onOrder: (order: 'desc' | 'asc') => void;
  onColumns: (columns: string[]) => void;
  onWidth: (column: string, width: number) => void;
  /** Replaces the field name or value typed at `position` of the query, for "did you mean". */
  onRenameField: (position: number, field: string, replacement: string) => void;
  /** What the search is made of, for the advice when nothing matches. */
  typed: boolean;
  filtersOn: number;
  /** Opened rows and the find, kept by the page while the table is away on the Patterns tab. */
  place: { current: ReadingPlace };
}

export function LogTable(props: Props) {
  const { searchKey, terms, columns, live, tailing, onFilter, onToggleColumn, onContext, onRenameField, order, wrap, onWrap, widths, onOrder, onColumns, onWidth, typed, filtersOn, place } = props;
  // The last rows stay, dimmed, until the next search's are in: the page neither tears the table
  // down for a skeleton nor builds it again in between.
  const search = useInfiniteQuery({ ...searchOptions(searchKey, order), placeholderData: keepPreviousData });
  const loading = search.isPlaceholderData;
  // A new search starts at the top of its results, as the skeleton's short page used to do.
  const asked = `${JSON.stringify(searchKey)}:${order}`;
  const shownFor = useRef(asked);
  // Rows opened, and messages shown whole, by hit id: a row scrolled out of sight is not rendered.
  const [opened, setOpened] = useState(() => place.current.opened);
  const [whole, setWhole] = useState(() => place.current.whole);
  useEffect(() => {
    place.current.opened = opened;
    place.current.whole = whole;
  }, [place, opened, whole]);
  const onOpen = useCallback((id: string, open: boolean) => setOpened((before) => withMember(before, id, open)), []);
  const onFull = useCallback((id: string) => setWhole((before) => withMember(before, id, true)), []);
  // A filter from a line's details: that line stays in sight once the search it makes answers,
  // with the focus where it was, as Kibana's document flyout stays open; a line it filtered out
  // hands the focus to the new filter's pill.
  const filteredFrom = useRef<{ id: string; filter: FilterClause; label: string | null; asked: string } | null>(null);
  const onRowFilter = useCallback(
    (filter: FilterClause, id: string) => {
      const focused = document.activeElement instanceof HTMLElement ? document.activeElement.getAttribute('aria-label') : null;
      const made = { id, filter, label: focused, asked: shownFor.current };
      filteredFrom.current = made;
      onFilter(filter);
      // A filter the page already had changes no search: nothing is then to be kept in sight.
      setTimeout(() => {
        if (filteredFrom.current === made && shownFor.current === made.asked) filteredFrom.current = null;
      }, 1_000);
    },
    [onFilter],
  );
  useEffect(() => {
    if (shownFor.current === asked) return;
    shownFor.current = asked;
    // Opened rows are not closed here: a refresh (a new "now") is a new search of the same rows,
    // and hit ids are unique, so rows of another search are simply not there.
    if (window.scrollY > 0 && !filteredFrom.current) window.scrollTo({ top: 0 });
  }, [asked]);
  const sentinel = useRef<HTMLDivElement>(null);
  const table = useRef<HTMLTableElement>(null);
  const [found, setFound] = useState<string | null>(() => place.current.find.current);
  const [findText, setFindText] = useState(() => place.current.find.text);
  const onFound = useCallback(
    (id: string | null, text: string) => {
      place.current.find = { text, current: id };
      setFound(id);
      setFindText(text);
    },
    [place],
  );
  // The box follows the click at once: the view it writes comes back through the URL a render later.
  const [wrapShown, setWrapShown] = useState(wrap);
  useEffect(() => setWrapShown(wrap), [wrap]);
  const storeEmpty = useStoreIsEmpty();
  const newestStored = useNewestStored();
  const zone = useTimeZone();

  const { hits, sources } = useMemo(() => {
    const pages = search.data?.pages ?? [];
    return {
      // Tailed lines are the newest: they belong only on top of a newest-first table.
      hits: order === 'desc' ? mergeNewestFirst(live.hits, pages.flatMap((p) => p.hits), MAX_ROWS) : pages.flatMap((p) => p.hits).slice(0, MAX_ROWS),
      sources: Object.assign({}, live.sources, ...pages.map((p) => p.sources)) as Record<string, SourceInfo>,
    };
  }, [search.data, live, order]);

  // The terms the shown rows were found by: while the next search runs, its terms would mark
  // the last search's rows, and re-render every one of them for nothing.
  const rowTerms = useMemo(() => terms, [search.data]);
  // The found row marks the text found beside the query's terms.
  const foundTerms = useMemo(() => [...rowTerms, findText], [rowTerms, findText]);
  const ids = useMemo(() => hits.map((h) => h.id), [hits]);
  // The line whose row (or opened details) has the keyboard, and the one that had it last.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const [lastFocusedId, setLastFocusedId] = useState<string | null>(null);
  const rows = useRowWindow(ids, table, `${wrap}:${columns.join(',')}`, focusedId);
  // The rows are one Tab stop, as a grid is: the row read last while it is rendered, else the
  // first rendered. Tabbing through fifty rows to get past the table is no way to read it.
  const runs = rows.parts.filter((part) => 'start' in part);
  const lastAt = lastFocusedId === null ? -1 : ids.indexOf(lastFocusedId);
  const tabStopId = lastAt >= 0 && runs.some((run) => lastAt >= run.start && lastAt < run.end) ? lastFocusedId : (ids[runs[0]?.start ?? 0] ?? null);
  const { scrollTo } = rows;
  // Bringing a match into view takes a few scrolls: the first lands where the rows' estimated
  // heights put it, then each row measured on the way moves it. Those follow-up scrolls stop at
  // the reader's first move (wheel, touch, key, press), or after SEEK_MS: later measurements (the
  // reader scrolling on, a page loaded) must not pull the page back to the match.
  // A match found before the table was away is marked again, not sought: the reader has moved on.
  const sought = useRef<{ id: string | null; until: number }>({ id: place.current.find.current, until: 0 });
  useReaderMoved(() => {
    sought.current.until = 0;
  });
  useEffect(() => {
    if (!found) {
      sought.current = { id: null, until: 0 };
      return;
    }
    if (sought.current.id !== found) sought.current = { id: found, until: performance.now() + SEEK_MS };
    else if (performance.now() > sought.current.until) return;
    scrollTo(ids.indexOf(found));
    // Rendered after the scroll: bring the row itself to the middle.
    requestAnimationFrame(() => document.querySelector(`[data-hit-id="${CSS.escape(found)}"]`)?.scrollIntoView({ block: 'center' }));
  }, [found, ids, scrollTo]);

  useEffect(() => {
    const from = filteredFrom.current;
    if (!from || from.asked === asked || loading) return;
    filteredFrom.current = null;
    const index = ids.indexOf(from.id);
    if (index < 0) {
      window.scrollTo({ top: 0 });
      focusFilterPill(from.filter);
      return;
    }
    scrollTo(index);
    requestAnimationFrame(() => {
      const line = document.querySelector(`[data-hit-id="${CSS.escape(from.id)}"]`);
      line?.scrollIntoView({ block: 'nearest' });
      const group = line?.closest('tbody');
      const target = (from.label ? group?.querySelector<HTMLElement>(`[aria-label="${CSS.escape(from.label)}"]`) : null) ?? (line as HTMLElement | null);
      if (target && document.activeElement !== target) target.focus({ preventScroll: true });
    });
  }, [asked, loading, ids, scrollTo]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      // Not after a page that failed: the end stays in view, and asking again at once made the
      // error and its Try again flicker in and out under the pointer. Try again asks.
      if (entries.some((e) => e.isIntersecting) && search.hasNextPage && !search.isFetchingNextPage && !search.isPlaceholderData && !search.isFetchNextPageError) void search.fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [search]);

  if (search.isPending || (loading && hits.length === 0)) {
    return (
      <div className="table-skeleton" aria-busy="true" data-testid="loading">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  // A later page that failed leaves the lines already loaded where they are (see the table's end).
  if (search.isError && !search.isFetchNextPageError) {
    const error = search.error;
    return (
      <div className="empty error" role="alert" data-testid="search-error">
        {error instanceof ApiError && error.code === 'query_syntax' ? (
          'Fix the query above to search.'
        ) : (
          <>
            The search failed: {error.message}{' '}
            <TryAgain error={error} onRetry={() => void search.refetch()} />
          </>
        )}
      </div>
    );
  }
  if (hits.length === 0) {
    const warnings = search.data?.pages[0]?.warnings ?? [];
    if (storeEmpty && warnings.length === 0) return <EmptyStore />;
    if (tailing && warnings.length === 0) {
      return (
        <div className="empty" data-testid="empty">
          Waiting for new lines: the live tail shows them here as they are stored.
        </div>
      );
    }
    return (
      <div className="empty" data-testid="empty">
        {warnings.map((w) => {
          // A click puts the name or value offered in place of the one typed.
          const typed = w.code === 'unknown_value' ? w.typed : w.field;
          const replacement = (name: string) => (w.code === 'unknown_value' ? quoteValue(name) : name);
          return (
            <p key={`${w.code}:${w.field}:${typed}`} className="unknown-field" data-testid={w.code === 'unknown_value' ? 'unknown-value' : 'unknown-field'}>
              {w.message}{' '}
              {w.closest.map((name) => (
                <button key={name} type="button" aria-label={`Search with ${w.code === 'unknown_value' ? `${w.field}:${name}` : name}`} onClick={() => onRenameField(w.position, typed, replacement(name))}>
                  {name}
                </button>
              ))}
            </p>
          );
        })}
        {newestStored !== null && newestStored < searchKey.fromMs ? (
          <p data-testid="lines-older">
            Every stored line is older than this range (the newest is from {newestText(newestStored, zone)}): the page searches again as soon as newer
            lines are stored.
          </p>
        ) : null}
        No lines match in this time range. {noMatchAdvice({ spanMs: searchKey.toMs - searchKey.fromMs, typed, filtersOn })}
      </div>
    );
  }
  return (
    <div className={`log-table${wrap ? '' : ' nowrap'}${loading ? ' loading' : ''}`} data-testid="log-table" aria-busy={loading || undefined}>
      <div className="table-tools">
        <FindInResults hits={hits} onCurrent={onFound} initial={place.current.find} />
        <label className="toggle">
          <input
            type="checkbox"
            checked={wrapShown}
            onChange={(e) => {
              setWrapShown(e.target.checked);
              onWrap(e.target.checked);
            }}
            data-testid="wrap"
          />{' '}
          Wrap long lines
        </label>
        {/* The header's time column sorts; where a narrow screen hides the header, this does. */}
        <button type="button" className="narrow-only" title="Click to turn the order around" onClick={() => onOrder(order === 'desc' ? 'asc' : 'desc')}>
          {order === 'desc' ? 'Newest first' : 'Oldest first'}
        </button>
        <span className="muted small">{hits.length.toLocaleString()} lines loaded</span>
      </div>
      <table
        ref={table}
        style={{ '--table-min-width': `${tableMinWidth(columns, widths)}px` } as CSSProperties}
        onFocus={(e) => {
          const id = hitIdOf(e.target);
          setFocusedId(id);
          if (id !== null) setLastFocusedId(id);
        }}
        onBlur={(e) => {
          if (!(e.relatedTarget instanceof Element) || hitIdOf(e.relatedTarget) === null) setFocusedId(null);
        }}
      >
        <TableHeader columns={columns} widths={widths} order={order} onOrder={onOrder} onColumns={onColumns} onWidth={onWidth} />
        {rows.parts.flatMap((part, i) =>
          'space' in part
            ? [<Spacer key={`space-${i}`} height={part.space} span={4 + columns.length} />]
            : hits.slice(part.start, part.end).map((hit) => (
                <HitRow
                  key={hit.id}
                  hit={hit}
                  source={sources[hit.source]}
                  terms={hit.id === found ? foundTerms : rowTerms}
                  columns={columns}
                  wrap={wrap}
                  onFilter={onRowFilter}
                  onToggleColumn={onToggleColumn}
                  onContext={onContext}
                  marked={hit.id === found}
                  foundText={hit.id === found ? findText : undefined}
                  measure={rows.measure}
                  open={opened.has(hit.id)}
                  full={whole.has(hit.id)}
                  onOpen={onOpen}
                  onFull={onFull}
                  tabStop={hit.id === tabStopId}
                />
              )),
        )}
      </table>
      <div ref={sentinel} className="table-end muted" data-testid="table-end">
        {search.isFetchingNextPage ? (
          'Loading more…'
        ) : search.isFetchNextPageError ? (
          <span role="alert">
            Could not load more lines: {search.error.message}{' '}
            <button type="button" onClick={() => void search.fetchNextPage()}>
              Try again
            </button>
          </span>
        ) : loading ? (
          'Searching…'
        ) : search.hasNextPage ? (
          <button type="button" onClick={() => void search.fetchNextPage()}>
            Load more
          </button>
        ) : hits.length >= MAX_ROWS ? (
          order === 'desc' ? (
            `Showing the newest ${MAX_ROWS.toLocaleString()} lines; narrow the range or the query to see older ones.`
          ) : (
            `Showing the oldest ${MAX_ROWS.toLocaleString()} lines; narrow the range or the query to see newer ones.`
          )
        ) : (
          'End of results.'
        )}
      </div>
    </div>
  );
}

function withMember(set: ReadonlySet<string>, id: string, member: boolean): ReadonlySet<string> {
  if (set.has(id) === member) return set;
  const next = new Set(set);
  if (member) next.add(id);
  else next.delete(id);
  return next;
}

/** Stands for the rows not rendered, so the scrollbar and the page length stay true. */
/** The line a focused element belongs to: a row, or an element in its opened details. */
function hitIdOf(element: Element): string | null {
  return element.closest('tbody.hit-group')?.querySelector('[data-hit-id]')?.getAttribute('data-hit-id') ?? null;
}

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

/** Widths (px) of the fixed columns and of an added field, as app/globals.css sets them until resized. */
const FIXED_COLUMNS_PX: Record<string, number> = { time: 190, source: 260, level: 70 };
const FIELD_COLUMN_PX = 140;
/** The least the message keeps: past it the page scrolls sideways, where it had squeezed the message to nothing. */
const MESSAGE_MIN_PX = 360;

function tableMinWidth(columns: readonly string[], widths: Record<string, number>): number {
  const fixed = Object.entries(FIXED_COLUMNS_PX).reduce((sum, [c, px]) => sum + (widths[c] ?? px), 0);
  return fixed + columns.reduce((sum, c) => sum + (widths[c] ?? FIELD_COLUMN_PX), 0) + MESSAGE_MIN_PX;
}
