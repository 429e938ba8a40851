// Times shown in the zone the user chose: the browser's (the default), UTC, or a named zone. The
// table, the histogram and the time picker all format through here, and the picker's calendar and
// typed absolute times are read in the same zone, so what one types is what one sees.
import { createContext, useContext } from 'react';

/** `browser`, `UTC`, or an IANA zone name. */
export type TimeZoneSetting = string;

export const TimeZoneContext = createContext<TimeZoneSetting>('browser');

export function useTimeZone(): TimeZoneSetting {
  return useContext(TimeZoneContext);
}

let browser: string | undefined;

/** Read once: building a DateTimeFormat to ask costs more than formatting, and every row's time asks. */
export function browserZone(): string {
  browser ??= typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';
  return browser;
}

/** The IANA name behind a setting. */
export function zoneName(setting: TimeZoneSetting): string {
  return setting === 'browser' ? browserZone() : setting;
}

export function isKnownZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(zone, f);
  }
  return f;
}

/** `YYYY-MM-DD HH:MM:SS` of an instant in a zone. */
export function formatInZone(ms: number, setting: TimeZoneSetting): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(zoneName(setting)).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/**
 * The instant a wall-clock time (`YYYY-MM-DD[T ]HH:MM[:SS[.fraction]]`) names in a zone, or
 * undefined. A fraction finer than milliseconds (a line's time, pasted from its details) is cut.
 */
export function wallClockToMs(text: string, setting: TimeZoneSetting): number | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', ms = '0'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.slice(0, 3).padEnd(3, '0')));
  if (Number.isNaN(asUtc)) return undefined;
  // The zone's offset at that moment; looked up twice, since the first guess may sit across a DST change.
  const offset = (at: number) => Date.parse(`${formatInZone(at, setting).replace(' ', 'T')}Z`) - Math.floor(at / 1000) * 1000;
  const first = asUtc - offset(asUtc);
  return asUtc - offset(first);
}
