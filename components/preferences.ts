'use client';
// What a user sets once for themselves, not per view: time zone and colour theme. Kept in the
// browser (localStorage), so links stay the same for everyone who opens them.
import { useCallback, useEffect, useState } from 'react';
import { isKnownZone, type TimeZoneSetting } from './time-zone';

export type Theme = 'system' | 'light' | 'dark';

export interface Preferences {
  timeZone: TimeZoneSetting;
  theme: Theme;
}

const KEY = 'logpond.preferences';
export const DEFAULT_PREFERENCES: Preferences = { timeZone: 'browser', theme: 'system' };

export function readPreferences(text: string | null): Preferences {
  try {
    const value = JSON.parse(text ?? '{}') as Partial<Preferences>;
    return {
      timeZone: typeof value.timeZone === 'string' && (value.timeZone === 'browser' || isKnownZone(value.timeZone)) ? value.timeZone : 'browser',
      theme: value.theme === 'light' || value.theme === 'dark' ? value.theme : 'system',
    };
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export function usePreferences(): [Preferences, (change: Partial<Preferences>) => void] {
  // Read at the first render: the page renders only in the browser (app/page.tsx), and a second
  // render of the whole page after an effect delayed its first rows.
  const [prefs, setPrefs] = useState<Preferences>(() =>
    typeof window === 'undefined' ? DEFAULT_PREFERENCES : readPreferences(window.localStorage.getItem(KEY)),
  );
  useEffect(() => {
    if (prefs.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = prefs.theme;
  }, [prefs.theme]);
  const change = useCallback((next: Partial<Preferences>) => {
    setPrefs((current) => {
      const merged = { ...current, ...next };
      window.localStorage.setItem(KEY, JSON.stringify(merged));
      return merged;
    });
  }, []);
  return [prefs, change];
}
