'use client';
// The Discover page: the view comes from the URL, and a search resolves its relative range
// (`now-15m`) to fixed instants once, so the histogram and the table of one search agree and
// paging does not drift. Auto-refresh re-resolves on its interval.
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { HitHistogram } from './hit-histogram';
import { LogTable } from './log-table';
import { ApiError, type SearchKey } from './queries';
import { SearchBar } from './search-bar';
import { StoreStatus } from './store-status';
import { TimePicker } from './time-picker';
import { freeTextTerms, readView, REFRESH_INTERVALS, resolveRange, type ViewState, writeView } from './view-state';

export function Discover() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => readView(new URLSearchParams(searchParams.toString())), [searchParams]);
  // When "now" was last read; a new search or a refresh tick moves it.
  const [anchor, setAnchor] = useState(() => Date.now());
  const [searchError, setSearchError] = useState<ApiError | Error | null>(null);

  const update = useCallback(
    (change: Partial<ViewState>) => {
      setAnchor(Date.now());
      router.push(`${pathname}${writeView({ ...view, ...change })}`, { scroll: false });
    },
    [router, pathname, view],
  );

  useEffect(() => {
    const every = REFRESH_INTERVALS[view.refresh];
    if (!every) return;
    const timer = setInterval(() => setAnchor(Date.now()), every);
    return () => clearInterval(timer);
  }, [view.refresh]);

  const resolved = useMemo(() => resolveRange(view, anchor), [view, anchor]);
  const range = 'error' in resolved ? null : resolved;
  const searchKey: SearchKey | null = range ? { q: view.q, fromMs: range.fromMs, toMs: range.toMs } : null;
  const terms = useMemo(() => freeTextTerms(view.q), [view.q]);
  const queryError =
    searchError instanceof ApiError && searchError.code === 'query_syntax'
      ? { message: searchError.message, position: searchError.position }
      : null;

  return (
    <div className="discover">
      <header className="topbar">
        <span className="brand">Logpond</span>
        <StoreStatus />
      </header>
      <div className="controls">
        <SearchBar value={view.q} range={range} error={queryError} onSubmit={(q) => update({ q })} />
        <TimePicker view={view} resolved={range} onChange={update} />
      </div>
      {'error' in resolved && (
        <div className="empty error" role="alert" data-testid="range-error">
          {resolved.error}
        </div>
      )}
      {searchKey && (
        <main className="results">
          <HitHistogram
            searchKey={searchKey}
            onRange={(fromMs, toMs) => update({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() })}
          />
          <LogTable searchKey={searchKey} terms={terms} onError={setSearchError} />
        </main>
      )}
    </div>
  );
}
