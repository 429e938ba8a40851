'use client';
// What the table says when the store holds nothing at all, rather than "try a wider range": a
// first start before any collector or shipper has sent, as Kibana offers "Add data" then. And the
// page's search again when the first lines, or the first lines of its range, are stored.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { statusOptions } from './queries';

/** True once the status says the store holds no line. */
export function useStoreIsEmpty(): boolean {
  // The status the header polls: no request of its own.
  return useQuery({ ...statusOptions(), select: (s) => s.entries === 0 }).data === true;
}

/** Calls `searchAgain` when a store seen empty gets its first lines, so the page shows them. */
export function useOnFirstLines(searchAgain: () => void): void {
  const empty = useStoreIsEmpty();
  const wasEmpty = useRef(false);
  useEffect(() => {
    if (empty) wasEmpty.current = true;
    else if (wasEmpty.current) {
      wasEmpty.current = false;
      searchAgain();
    }
  }, [empty, searchAgain]);
}

/** The newest stored line's time (ms), from the status the header polls; null when none or unknown. */
export function useNewestStored(): number | null {
  return useQuery({ ...statusOptions(), select: (s) => (s.newest ? Date.parse(s.newest) : null) }).data ?? null;
}

/**
 * Calls `searchAgain` when lines at or after `fromMs` are stored while every stored line was older:
 * a first start's backfill (written oldest first) reaching the range shown, or a collector back
 * after a pause. Only on that crossing: a new range is judged afresh, not searched twice.
 */
export function useOnLinesReaching(fromMs: number | null, searchAgain: () => void): void {
  const newest = useNewestStored();
  const seen = useRef<{ fromMs: number | null; older: boolean }>({ fromMs: null, older: false });
  useEffect(() => {
    if (fromMs === null || newest === null) return;
    const older = newest < fromMs;
    const crossed = seen.current.fromMs === fromMs && seen.current.older && !older;
    seen.current = { fromMs, older };
    if (crossed) searchAgain();
  }, [fromMs, newest, searchAgain]);
}

export function EmptyStore() {
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <div className="empty empty-store" data-testid="empty-store">
      <p>
        <strong>Nothing has been stored yet.</strong> Lines show here as soon as something sends them:
      </p>
      <ul>
        <li>
          Logpond&apos;s collector on each node (the DaemonSet under <code>deployment/</code>, or <code>npm run collector</code> with <code>LOGPOND_SERVER_URL={origin}</code>);
        </li>
        <li>
          a shipper you already run: OpenTelemetry to <code>{origin}/v1/logs</code>, Loki push (Alloy, Promtail, Vector, Fluent Bit) to <code>{origin}/loki/api/v1/push</code>.
        </li>
      </ul>
      <p className="muted small">The README&apos;s “Install on Kubernetes” and “Send logs from existing shippers” give the whole setup. This page updates by itself once lines arrive.</p>
    </div>
  );
}
