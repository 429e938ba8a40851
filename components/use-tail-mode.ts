'use client';
// Whether the page is tailing (and paused by the reader), and what tailing changes around the
// table: the count and histogram re-read up to a moving "now" every few seconds (`tailNow`), and
// a range that stops ending now (a zoom, a typed range, Back to one) leaves the tail, as in
// Grafana, for new lines on top of it would mix two times. The stream itself is use-live-tail's.
import { useCallback, useEffect, useRef, useState } from 'react';

const TAIL_COUNT_EVERY_MS = 5_000;

export interface TailMode {
  tailing: boolean;
  /** The same, for callbacks that run before the next render (Discover's update). */
  tailingNow: { readonly current: boolean };
  /** When the count and histogram last moved up to now; null while not tailing. */
  tailNow: number | null;
  /** Turns the tail on; the caller moves the range and searches again as it needs. */
  begin: () => void;
  /** Turns the tail off without searching again: the range that made it leave is a new search. */
  leave: () => void;
  /** Turns the tail off and searches again up to now; the rows it tailed stay meanwhile. */
  stop: () => void;
  /** Paused by the reader (Pause): new lines wait, counted, until resumed; off with the tail. */
  paused: boolean;
  setPaused: (paused: boolean) => void;
}

export function useTailMode(viewTo: string, searchAgainNow: () => void): TailMode {
  const [tailing, setTailing] = useState(false);
  const tailingNow = useRef(tailing);
  useEffect(() => {
    tailingNow.current = tailing;
  }, [tailing]);
  const [paused, setPaused] = useState(false);
  const begin = useCallback(() => setTailing(true), []);
  const leave = useCallback(() => {
    tailingNow.current = false;
    setTailing(false);
    setPaused(false);
  }, []);
  const stop = useCallback(() => {
    if (!tailingNow.current) return;
    leave();
    searchAgainNow();
  }, [leave, searchAgainNow]);
  // Back or Forward to a range ending at a fixed time leaves the tail too, as a zoom does (update).
  // On a change of the range only: turning the tail on from a past range moves the range to now
  // in the same step, and a render between the two must not turn it off again.
  useEffect(() => {
    if (tailingNow.current && !/^now/i.test(viewTo.trim())) leave();
  }, [viewTo, leave]);
  const [tailNow, setTailNow] = useState<number | null>(null);
  useEffect(() => {
    if (!tailing) {
      setTailNow(null);
      return;
    }
    const timer = setInterval(() => setTailNow(Date.now()), TAIL_COUNT_EVERY_MS);
    return () => clearInterval(timer);
  }, [tailing]);
  return { tailing, tailingNow, tailNow, begin, leave, stop, paused, setPaused };
}
