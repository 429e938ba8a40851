'use client';
// One line under the brand: what the store holds, refreshed every two seconds, so a user sees
// lines flowing (or not) before searching.
import { useQuery } from '@tanstack/react-query';
import type { StatusResponse } from '@/common/read-api';
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

/** A sender with no batch for this long is called quiet: stopped, or on a node with nothing to say. */
const QUIET_AFTER_MS = 5 * 60_000;

/**
 * Who sends, for the header: collectors and shippers counted, those gone quiet told apart
 * (`quiet` names each, for its title), so a node that stopped sending shows while others keep
 * "newest" moving.
 */
export function sendersText(senders: StatusResponse['collectors'], zone: TimeZoneSetting, now = Date.now(), entries = 0): { text: string; quiet: string | null } {
  if (senders.length === 0) return { text: entries > 0 ? 'no collector has sent since the server started' : 'no collector yet', quiet: null };
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const collectors = senders.filter((c) => c.via === 'collector').length;
  const shippers = senders.length - collectors;
  const counted = [collectors > 0 && plural(collectors, 'collector'), shippers > 0 && plural(shippers, 'shipper')].filter(Boolean).join(' · ');
  const quiet = senders.filter((c) => now - Date.parse(c.lastSeen) >= QUIET_AFTER_MS);
  if (quiet.length === 0) return { text: counted, quiet: null };
  const named = quiet.map((c) => `${c.node} (${c.via}), last at ${newestText(Date.parse(c.lastSeen), zone, now)}`).join('; ');
  return {
    text: `${counted}, ${quiet.length} quiet`,
    quiet: `Nothing received for ${QUIET_AFTER_MS / 60_000} minutes or more from: ${named}. A node whose containers write nothing sends nothing, so quiet is not always stopped.`,
  };
}

export function StoreStatus() {
  const zone = useTimeZone();
  const status = useQuery(statusOptions());
  if (status.isPending) return <span className="status-line muted">Reading the store…</span>;
  if (status.isError) return <span className="status-line error">Cannot read the status: {status.error.message}</span>;
  const s = status.data;
  const senders = sendersText(s.collectors, zone, Date.now(), s.entries);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return (
    <span className="status-line muted" aria-label="Store status" data-testid="status-line">
      <span data-testid="status-entries">{number.format(s.entries)}</span> entries · {number.format(s.sources)} sources ·{' '}
      {formatBytes(s.diskBytes)} on disk ·{' '}
      <span data-testid="status-senders" title={senders.quiet ?? undefined}>
        {senders.text}
      </span>
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
