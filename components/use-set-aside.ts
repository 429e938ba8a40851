'use client';
// A file the store sets aside (damaged on disk) takes its lines out of every count, but a search
// answered before that, such as the histogram counted from the hour's rollups while the table's
// read found the damage, would go on showing them. When the status says more files were set
// aside, the search is asked again.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { statusOptions } from './queries';

export function useOnFilesSetAside(searchAgain: () => void): void {
  // The status the header polls: no request of its own.
  const status = useQuery({ ...statusOptions(), select: (s) => s.damaged?.files ?? 0 });
  // From none: the first status may already count a file the page's first search set aside, after
  // its count had been read. A store holding files set aside earlier costs one search more per
  // page load.
  const known = useRef(0);
  useEffect(() => {
    if (status.data === undefined) return;
    const before = known.current;
    known.current = status.data;
    if (status.data > before) searchAgain();
  }, [status.data, searchAgain]);
}
