'use client';
// What a user sets once for themselves, not per view: time zone and colour theme. Kept in the
// browser (localStorage), so links stay the same for everyone who opens them.
import { useCallback, useEffect, useState } from 'react';
import { readStored, writeStored } from './browser-storage';
import { THEME_COOKIE } from './theme-cookie';
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
    typeof window === 'undefined' ? DEFAULT_PREFERENCES : readPreferences(readStored(KEY)),
  );
  useEffect(() => {
    if (prefs.theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = prefs.theme;
    writeThemeCookie(prefs.theme);
  }, [prefs.theme]);
  const change = useCallback((next: Partial<Preferences>) => {
    setPrefs((current) => {
      const merged = { ...current, ...next };
      writeStored(KEY, JSON.stringify(merged));
      return merged;
    });
  }, []);
  return [prefs, change];
}

/**
 * The theme as a cookie too, for the server to put on <html> (app/layout.tsx): set only from
 * the page's script, a chosen dark theme showed the page white first, on every load.
 */
function writeThemeCookie(theme: Theme): void {
  try {
    document.cookie = theme === 'system' ? `${THEME_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax` : `${THEME_COOKIE}=${theme}; Path=/; Max-Age=31536000; SameSite=Lax`;
  } catch {
    // A browser that blocks site data: the theme still applies once the script runs.
  }
}
