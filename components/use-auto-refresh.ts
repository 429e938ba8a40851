'use client';
// Auto-refresh, and what waits while the reader is down the table: a new search starts at the
// top, so a tick (or a file set aside) while they are more than a screen's start away is held
// until they are back at the top, and said so by the page (`refreshHeld`).
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useOnFilesSetAside } from './use-set-aside';
import { REFRESH_INTERVALS, type RefreshInterval } from './view-state';

/** The reads that show the view: an auto-refresh waits for them (see its timer). */
const VIEW_READS = new Set(['search', 'histogram', 'patterns', 'fields']);
/** How far down the page the reader counts as reading the table rather than its top. */
const AWAY_PX = 200;

export interface AutoRefresh {
  /** The reader is down the table. */
  scrolledAway: boolean;
  /** A tick came while they were: it searches again once they are back at the top. */
  refreshHeld: boolean;
  /** A new search is fresh: a tick held before it has nothing to catch up. */
  dropHeld: () => void;
}

export function useAutoRefresh(refresh: RefreshInterval, tailing: boolean, searchAgainNow: () => void): AutoRefresh {
  const queryClient = useQueryClient();
  const [scrolledAway, setScrolledAway] = useState(false);
  const [refreshHeld, setRefreshHeld] = useState(false);
  const readingDown = useRef(scrolledAway);
  useEffect(() => {
    readingDown.current = scrolledAway;
  }, [scrolledAway]);
  useEffect(() => {
    const onScroll = () => setScrolledAway(window.scrollY > AWAY_PX);
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);

  useEffect(() => {
    const every = REFRESH_INTERVALS[refresh];
    setRefreshHeld(false);
    if (!every || tailing) return;
    const timer = setInterval(() => {
      if (readingDown.current) setRefreshHeld(true);
      // A tick while the view's reads still run would abort them and start over: on a slow
      // store, results never came. It waits for the next, as Kibana's auto-refresh does.
      else if (queryClient.isFetching({ predicate: (q) => VIEW_READS.has(String(q.queryKey[0])) }) === 0) searchAgainNow();
    }, every);
    return () => clearInterval(timer);
  }, [refresh, tailing, searchAgainNow, queryClient]);
  useEffect(() => {
    if (scrolledAway || !refreshHeld) return;
    setRefreshHeld(false);
    searchAgainNow();
  }, [scrolledAway, refreshHeld, searchAgainNow]);

  // A file set aside while the reader is down the table waits likewise, with no notice of its own.
  const setAsideWhileAway = useRef(false);
  useOnFilesSetAside(
    useCallback(() => {
      if (readingDown.current) setAsideWhileAway.current = true;
      else searchAgainNow();
    }, [searchAgainNow]),
  );
  useEffect(() => {
    if (scrolledAway || !setAsideWhileAway.current) return;
    setAsideWhileAway.current = false;
    searchAgainNow();
  }, [scrolledAway, searchAgainNow]);

  const dropHeld = useCallback(() => setRefreshHeld(false), []);
  return { scrolledAway, refreshHeld, dropHeld };
}
