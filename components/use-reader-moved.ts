'use client';
// The reader's own first move: what the page scrolls for them (a match brought into view, a row
// held in place while the table lays out again) stops there, or it would pull them back.
import { useEffect, useRef } from 'react';

const READER_MOVES = ['wheel', 'touchmove', 'keydown', 'mousedown'] as const;

/** Calls `moved` on each wheel turn, touch move, key or press anywhere on the page. */
export function useReaderMoved(moved: () => void): void {
  const latest = useRef(moved);
  latest.current = moved;
  useEffect(() => {
    const onMove = () => latest.current();
    for (const event of READER_MOVES) window.addEventListener(event, onMove, { passive: true, capture: true });
    return () => {
      for (const event of READER_MOVES) window.removeEventListener(event, onMove, { capture: true });
    };
  }, []);
}
