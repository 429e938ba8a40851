'use client';
// What a reader did in the table that a trip to the Patterns tab, which unmounts the table, must
// not undo: the rows they opened, the lines they showed whole and what they were finding. Rows are
// kept by hit id, so those of another search are simply not there.
import { useRef } from 'react';

export interface ReadingPlace {
  opened: ReadonlySet<string>;
  whole: ReadonlySet<string>;
  /** The text in Find in results, and the match it had stepped to. */
  find: { text: string; current: string | null };
}

export function useReadingPlace(): { current: ReadingPlace } {
  return useRef<ReadingPlace>({ opened: new Set(), whole: new Set(), find: { text: '', current: null } });
}
