'use client';
// One line under the brand: what the store holds, refreshed every two seconds, so a user sees
// lines flowing (or not) before searching.
import { useQuery } from '@tanstack/react-query';
import { statusOptions } from './queries';
import { formatInZone, type TimeZoneSetting, useTimeZone } from './time-zone';

const number = new Intl.NumberFormat();

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** The newest line's time in the chosen zone: the time of day when it is today there, else with its date. */
export function newestText(ms: number, zone: TimeZoneSetting, now = Date.now()): string {
  const [day, time] = formatInZone(ms, zone).split(' ');
  return day === formatInZone(now, zone).split(' ')[0] ? time : `${day} ${time}`;
}

export function StoreStatus() {
  const zone = useTimeZone();
  const status = useQuery(statusOptions());
  if (status.isPending) return <span className="status-line muted">Reading the store…</span>;
  if (status.isError) return <span className="status-line error">Cannot read the status: {status.error.message}</span>;
  const s = status.data;
  const collectors = s.collectors.filter((c) => c.via === 'collector').length;
  const shippers = s.collectors.length - collectors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <span className="status-line muted" aria-label="Store status" data-testid="status-line">
      <span data-testid="status-entries">{number.format(s.entries)}</span> entries · {number.format(s.sources)} sources ·{' '}
      {formatBytes(s.diskBytes)} on disk · {collectors + shippers > 0
        ? [collectors > 0 && plural(collectors, 'collector'), shippers > 0 && plural(shippers, 'shipper')].filter(Boolean).join(' · ')
        : s.entries > 0
          ? 'no collector has sent since the server started'
          : 'no collector yet'}
      {s.newest && (
        <span data-testid="status-newest" title={`${s.newest} (UTC)`}>
          {' '}
          · newest {newestText(Date.parse(s.newest), zone)}
        </span>
      )}
      {s.settling.settled < s.settling.hours && (
        <span data-testid="status-indexing" title="Searches over hours not indexed yet read every line of them, and get faster as indexing goes on">
          {' '}
          · indexing {number.format(s.settling.settled)} of {number.format(s.settling.hours)} hours, all searchable
        </span>
      )}
      {s.damaged && (
        <span
          className="error"
          data-testid="status-damaged"
          title={`The store could not read ${plural(s.damaged.files, 'file')} (damaged on disk, or deleted from under it) and set ${s.damaged.files === 1 ? 'it' : 'them'} aside: ${number.format(s.damaged.entries)} entries are left out of every search and count. The server keeps the files in ${s.damaged.directory}; its log says what was wrong with each.`}
        >
          {' '}
          · {plural(s.damaged.files, 'damaged file')} set aside ({number.format(s.damaged.entries)} entries left out)
        </span>
      )}
    </span>
  );
}
