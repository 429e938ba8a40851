'use client';
// Which rows of a long table to render: those in the window's viewport (plus a margin), with
// spacers standing for the rest, so tens of thousands of loaded lines cost a screenful of DOM.
// Row heights vary (wrapped and opened rows): each rendered row reports its height, rows not yet
// seen count as ESTIMATE. When every row's height is about to change (a column added or removed,
// wrapping turned on or off), the row being read stays where it stands in the window while the
// rendered rows report their new heights.
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useReaderMoved } from './use-reader-moved';

const ESTIMATE = 26;
const MARGIN = 400; // pixels rendered beyond each edge of the viewport
/** How long a row is held in place after a layout change, unless the reader moves first. */
const HOLD_MS = 1_500;

/** What to render, top to bottom: spacers standing for rows not rendered, and runs of rows. */
export type WindowPart = { space: number } | { start: number; end: number };

export interface RowWindow {
  parts: WindowPart[];
  /** A ref callback for each rendered row, which then reports its height; returns the cleanup. Stable across renders. */
  measure: (id: string, element: HTMLElement | null) => (() => void) | undefined;
  /** Scrolls the window so the row at `index` is in the middle of the viewport. */
  scrollTo: (index: number) => void;
}

/**
 * `layoutKey` changes when the rows' heights all change at once (columns, wrapping): the heights
 * measured before are kept as estimates until each row reports again.
 */
export function useRowWindow(ids: readonly string[], container: RefObject<HTMLElement | null>, layoutKey: unknown, keptId: string | null = null): RowWindow {
  const heights = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const pending = useRef(0);
  // Until the table is measured, assume it starts at the top of a typical window.
  const [viewport, setViewport] = useState({ top: 0, bottom: 900 });
  // The table mounts only once there are rows (a skeleton stands before): measure it then.
  const hasRows = ids.length > 0;

  // Heights are kept across a layout change: cleared, every row above the window became an
  // estimate, the spacer above shrank, and a reader deep in the table found other rows in front.
  const rowIds = useRef(new Map<Element, string>());
  const held = useRef<{ id: string; top: number; until: number } | null>(null);
  const laidOut = useRef({ ids, offsets: new Float64Array(1) });
  /** How far below the container's top its first row starts (its header). */
  const headerPx = useRef(0);
  /** Scrolls by as much as the held row moved: from where it is rendered, or from its offset. */
  const keepHeld = useCallback(() => {
    const hold = held.current;
    if (!hold) return;
    if (performance.now() > hold.until) {
      held.current = null;
      return;
    }
    let top: number | null = null;
    for (const [element, id] of rowIds.current) if (id === hold.id) top = element.getBoundingClientRect().top;
    if (top === null) {
      const index = laidOut.current.ids.indexOf(hold.id);
      const rect = container.current?.getBoundingClientRect();
      if (index < 0 || !rect) return;
      top = rect.top + headerPx.current + laidOut.current.offsets[index];
    }
    if (Math.abs(top - hold.top) >= 1) window.scrollBy(0, top - hold.top);
  }, [container]);
  const firstLayout = useRef(true);
  useLayoutEffect(() => {
    if (firstLayout.current) {
      firstLayout.current = false;
      return;
    }
    // Where the rows stood before this change, from the heights measured for it (the DOM is
    // already laid out anew, but the spacer above the first rendered row is not): the focused
    // row if it was in view (the one being read), else the first row in view.
    const { ids: shown, offsets: at } = laidOut.current;
    const rect = container.current?.getBoundingClientRect();
    if (!rect) return;
    let index = -1;
    let first = Infinity;
    for (const [element, id] of rowIds.current) {
      const i = shown.indexOf(id);
      if (i >= 0 && i < first) {
        first = i;
        headerPx.current = element.getBoundingClientRect().top - rect.top - at[i];
      }
      if (element.contains(document.activeElement)) index = i;
    }
    const topOf = (i: number) => rect.top + headerPx.current + at[i];
    if (index < 0 || topOf(index + 1) <= 0 || topOf(index) >= window.innerHeight) {
      index = 0;
      while (index < shown.length && topOf(index + 1) <= 0) index++;
    }
    held.current = index < shown.length ? { id: shown[index], top: topOf(index), until: performance.now() + HOLD_MS } : null;
    keepHeld();
  }, [layoutKey, keepHeld]);
  useReaderMoved(() => {
    held.current = null;
  });

  useEffect(() => {
    let frame = 0;
    const update = () => {
      frame = 0;
      const rect = container.current?.getBoundingClientRect();
      if (rect) setViewport({ top: -rect.top, bottom: -rect.top + window.innerHeight });
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(update);
    };
    update();
    window.addEventListener('scroll', schedule, { passive: true });
    window.addEventListener('resize', schedule);
    return () => {
      window.removeEventListener('scroll', schedule);
      window.removeEventListener('resize', schedule);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [container, hasRows]);

  // Heights come from a ResizeObserver, after the browser's own layout: reading offsetHeight as
  // each row mounts forced a layout of the whole page in the middle of React's commit.
  const observer = useRef<ResizeObserver | null>(null);
  useEffect(
    () => () => {
      observer.current?.disconnect();
      observer.current = null;
      if (pending.current) cancelAnimationFrame(pending.current);
      pending.current = 0;
    },
    [],
  );
  const measure = useCallback((id: string, element: HTMLElement | null) => {
    if (!element || typeof ResizeObserver === 'undefined') return undefined;
    observer.current ??= new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const rowId = rowIds.current.get(entry.target);
        const height = (entry.target as HTMLElement).offsetHeight; // layout is clean here: no cost
        if (rowId !== undefined && height > 0 && heights.current.get(rowId) !== height) {
          heights.current.set(rowId, height);
          changed = true;
        }
      }
      if (changed && !pending.current) pending.current = requestAnimationFrame(() => {
        pending.current = 0;
        setVersion((v) => v + 1);
      });
    });
    const rows = observer.current;
    rowIds.current.set(element, id);
    rows.observe(element);
    return () => {
      rows.unobserve(element);
      rowIds.current.delete(element);
    };
  }, []);

  const offsets = useMemo(() => {
    void version;
    // Heights of rows that left the list (the tail pushes old lines out) would pile up.
    if (heights.current.size > 2 * ids.length + 100) {
      const keep = new Set(ids);
      for (const id of heights.current.keys()) if (!keep.has(id)) heights.current.delete(id);
    }
    const out = new Float64Array(ids.length + 1);
    for (let i = 0; i < ids.length; i++) out[i + 1] = out[i] + (heights.current.get(ids[i]) ?? ESTIMATE);
    return out;
  }, [ids, version]);
  laidOut.current = { ids, offsets };
  // Each new measurement moves the rows: the held row is put back.
  useLayoutEffect(keepHeld, [offsets, keepHeld]);

  const top = viewport.top - MARGIN;
  const bottom = viewport.bottom + MARGIN;
  let start = 0;
  while (start < ids.length && offsets[start + 1] < top) start++;
  let end = start;
  while (end < ids.length && offsets[end] <= bottom) end++;

  const scrollTo = useCallback(
    (index: number) => {
      const rect = container.current?.getBoundingClientRect();
      if (!rect) return;
      const y = window.scrollY + rect.top + offsets[Math.max(0, Math.min(index, ids.length - 1))];
      window.scrollTo({ top: Math.max(0, y - window.innerHeight / 2) });
    },
    [container, offsets, ids.length],
  );

  // The row with the keyboard stays rendered wherever the window is: unmounted, it took the focus
  // with it, and ↓ scrolled the page instead of moving between rows.
  const kept = keptId === null ? -1 : ids.indexOf(keptId);
  const alone = { start: kept, end: kept + 1 };
  const runs = kept < 0 || (kept >= start && kept < end) ? [{ start, end }] : kept < start ? [alone, { start, end }] : [{ start, end }, alone];
  const parts: WindowPart[] = [];
  let at = 0;
  for (const run of runs) {
    parts.push({ space: offsets[run.start] - offsets[at] }, run);
    at = run.end;
  }
  parts.push({ space: offsets[ids.length] - offsets[at] });
  return { parts, measure, scrollTo };
}
