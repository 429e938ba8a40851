'use client';
// Which rows of a long table to render: those in the window's viewport (plus a margin), with
// spacers standing for the rest, so tens of thousands of loaded lines cost a screenful of DOM.
// Row heights vary (wrapped and opened rows): each rendered row reports its height, rows not yet
// seen count as ESTIMATE.
import { type RefObject, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

const ESTIMATE = 26;
const MARGIN = 400; // pixels rendered beyond each edge of the viewport

export interface RowWindow {
  start: number;
  end: number;
  before: number;
  after: number;
  /** A ref callback for each rendered row, which then reports its height; returns the cleanup. Stable across renders. */
  measure: (id: string, element: HTMLElement | null) => (() => void) | undefined;
  /** Scrolls the window so the row at `index` is in the middle of the viewport. */
  scrollTo: (index: number) => void;
}

export function useRowWindow(ids: readonly string[], container: RefObject<HTMLElement | null>, resetKey: unknown): RowWindow {
  const heights = useRef(new Map<string, number>());
  const [version, setVersion] = useState(0);
  const pending = useRef(0);
  // Until the table is measured, assume it starts at the top of a typical window.
  const [viewport, setViewport] = useState({ top: 0, bottom: 900 });
  // The table mounts only once there are rows (a skeleton stands before): measure it then.
  const hasRows = ids.length > 0;

  // Before the browser lays the rows out again: a clear after it would drop the heights the
  // ResizeObserver has just reported for the new layout, and the memoized rows report only once.
  useLayoutEffect(() => {
    heights.current.clear();
    setVersion((v) => v + 1);
  }, [resetKey]);

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
  const rowIds = useRef(new Map<Element, string>());
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

  return { start, end, before: offsets[start], after: offsets[ids.length] - offsets[end], measure, scrollTo };
}
