'use client';
// The last queries this browser ran, newest first, each once: kept in localStorage, for the
// history list beside the search box.
import { useCallback, useEffect, useState } from 'react';
import { readStored, writeStored } from './browser-storage';

const KEY = 'logpond.query-history';
export const HISTORY_SIZE = 50;

export function addToHistory(history: readonly string[], query: string): string[] {
  const q = query.trim();
  if (!q) return [...history];
  return [q, ...history.filter((h) => h !== q)].slice(0, HISTORY_SIZE);
}

function read(): string[] {
  try {
    const value: unknown = JSON.parse(readStored(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, HISTORY_SIZE) : [];
  } catch {
    return [];
  }
}

export function useQueryHistory(): [string[], (query: string) => void] {
  const [history, setHistory] = useState<string[]>([]);
  useEffect(() => setHistory(read()), []);
  const remember = useCallback((query: string) => {
    setHistory((shown) => {
      // What is stored, as another tab may have added some; where nothing is (site data
      // blocked), the page's own list.
      const next = addToHistory(readStored(KEY) === null ? shown : read(), query);
      writeStored(KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return [history, remember];
}
