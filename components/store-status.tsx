'use client';
import { useQuery } from '@tanstack/react-query';
import { statusOptions } from './queries';

const number = new Intl.NumberFormat();

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatTime(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** What the store holds, refreshed every two seconds: proof that lines are flowing. */
export function StoreStatus() {
  const status = useQuery(statusOptions());
  if (status.isPending) return <p className="muted">Loading status…</p>;
  if (status.isError) return <p className="error">Cannot read the status: {status.error.message}</p>;
  const s = status.data;
  return (
    <section aria-label="Store status">
      <dl className="stats">
        <div className="stat">
          <dt>Entries</dt>
          <dd data-testid="status-entries">{number.format(s.entries)}</dd>
        </div>
        <div className="stat">
          <dt>Sources</dt>
          <dd>{number.format(s.sources)}</dd>
        </div>
        <div className="stat">
          <dt>On disk</dt>
          <dd>{formatBytes(s.diskBytes)}</dd>
        </div>
        <div className="stat">
          <dt>Newest line</dt>
          <dd style={{ fontSize: 14 }}>{formatTime(s.newest)}</dd>
        </div>
      </dl>
      <h2>Collectors</h2>
      {s.collectors.length === 0 ? (
        <p className="muted">No collector has sent lines since the server started.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Node</th>
              <th>Collector</th>
              <th>Last batch</th>
              <th>Entries</th>
            </tr>
          </thead>
          <tbody>
            {s.collectors.map((c) => (
              <tr key={c.id}>
                <td>{c.node}</td>
                <td>{c.id}</td>
                <td>{formatTime(c.lastSeen)}</td>
                <td>{number.format(c.entries)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
