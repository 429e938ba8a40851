'use client';
// Live tail: new matching lines from /api/tail (Server-Sent Events), gathered and handed to React
// once per animation frame, in time order newest first, never more than MAX_ROWS kept. While `paused` (the user
// scrolled away from the top), lines are counted but not shown, so the rows under the reader's
// eyes do not move.
import { useEffect, useRef, useState } from 'react';
import type { Hit, SourceInfo } from '@/common/read-api';
import { mergeNewestFirst, sortNewestFirst } from './hit-order';
import { MAX_ROWS, openTail } from './queries';

export interface LiveLines {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
  /** Lines that arrived while paused. */
  waiting: number;
  connected: boolean;
  /** What the server said went wrong last, until lines flow again. */
  problem: string | null;
  /** The server refused the stream: it will not come back by itself. */
  stopped: boolean;
  /** Lines a reconnected stream did not send (a break longer than it catches up on), until the tail starts anew. */
  skipped: { from: string; to: string } | null;
}

/** How long a reconnected tail has to stay up before the last problem it had is taken down. */
const PROBLEM_CLEARS_AFTER_MS = 5_000;

const EMPTY: LiveLines = { hits: [], sources: {}, waiting: 0, connected: false, problem: null, stopped: false, skipped: null };

/** `searches` counts the page's searches: one after lines were skipped shows them, so the note goes. */
export function useLiveTail(query: string, enabled: boolean, paused: boolean, searches = 0): LiveLines {
  const [state, setState] = useState<LiveLines>(EMPTY);
  const pending = useRef<{ hits: Hit[]; sources: Record<string, SourceInfo> }>({ hits: [], sources: {} });
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  // Turned off, the tail keeps the lines it showed (without those that waited): the page searches
  // again up to now, and until that answers with them they are the reader's only copy. Another
  // query, or the tail turned on again, starts from none.
  const keptFor = useRef(query);
  useEffect(() => {
    const keep = !enabled && keptFor.current === query;
    keptFor.current = query;
    setState((s) => (keep ? { ...EMPTY, hits: s.hits, sources: s.sources } : EMPTY));
    pending.current = { hits: [], sources: {} };
    if (!enabled) return;
    let frame = 0;
    const flush = () => {
      frame = 0;
      if (pausedRef.current) {
        setState((s) => ({ ...s, waiting: pending.current.hits.length }));
        return;
      }
      const batch = pending.current;
      pending.current = { hits: [], sources: {} };
      if (batch.hits.length === 0) return;
      setState((s) => ({
        ...s,
        hits: mergeNewestFirst(sortNewestFirst(batch.hits), s.hits, MAX_ROWS),
        sources: { ...s.sources, ...batch.sources },
        waiting: 0,
        connected: true,
        problem: null,
        stopped: false,
      }));
    };
    // A problem is over once a connection has held for a while: lines may be rare, or held
    // while the reader is down the table, so they cannot be what clears it.
    let healthy: ReturnType<typeof setTimeout> | undefined;
    const settled = () => clearTimeout(healthy);
    // An event the browser had queued before this stream was closed (its refusal, say) still
    // arrives: it must not speak over the stream that replaced it, or over a tail turned off.
    let current = true;
    const close = openTail(query, {
      open: () => {
        if (!current) return;
        setState((s) => ({ ...s, connected: true }));
        settled();
        healthy = setTimeout(() => setState((s) => ({ ...s, problem: null })), PROBLEM_CLEARS_AFTER_MS);
      },
      error: () => {
        if (!current) return;
        settled();
        setState((s) => ({ ...s, connected: false }));
      },
      failed: (message) => {
        if (!current) return;
        settled();
        setState((s) => ({ ...s, connected: false, problem: message }));
      },
      closed: () => current && setState((s) => ({ ...s, connected: false, stopped: true, problem: s.problem ?? 'the server refused the stream' })),
      // The first of several gaps is kept: from it on, the table misses lines.
      skipped: (gap) => current && setState((s) => ({ ...s, skipped: s.skipped ? { from: s.skipped.from, to: gap.to } : gap })),
      hits: (data) => {
        if (!current) return;
        const next = pending.current;
        next.hits.push(...data.hits);
        if (next.hits.length > MAX_ROWS) next.hits.splice(0, next.hits.length - MAX_ROWS);
        Object.assign(next.sources, data.sources);
        if (!frame) frame = requestAnimationFrame(flush);
      },
    });
    return () => {
      current = false;
      close();
      settled();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [query, enabled]);

  useEffect(() => setState((s) => (s.skipped ? { ...s, skipped: null } : s)), [searches]);

  // Resuming shows what waited.
  useEffect(() => {
    if (!paused && pending.current.hits.length > 0) {
      const batch = pending.current;
      pending.current = { hits: [], sources: {} };
      setState((s) => ({ ...s, hits: mergeNewestFirst(sortNewestFirst(batch.hits), s.hits, MAX_ROWS), sources: { ...s.sources, ...batch.sources }, waiting: 0 }));
    }
  }, [paused]);

  return state;
}
