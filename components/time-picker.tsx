'use client';
// The time range: quick ranges, relative (`now-2h`) or absolute (ISO) bounds typed in, the
// resolved range shown in local time with its zone, step buttons, and auto-refresh.
import { useEffect, useState } from 'react';
import { QUICK_RANGES, REFRESH_INTERVALS, type RefreshInterval, type ResolvedRange, type ViewState } from './view-state';

interface Props {
  view: ViewState;
  resolved: ResolvedRange | null;
  onChange: (change: Partial<ViewState>) => void;
}

const ZONE = typeof Intl !== 'undefined' ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC';

export function formatLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local input's value for an instant: the range shown, so the calendar starts there. */
function calendarValue(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : formatLocal(ms).replace(' ', 'T');
}

export function TimePicker({ view, resolved, onChange }: Props) {
  const [from, setFrom] = useState(view.from);
  const [to, setTo] = useState(view.to);
  useEffect(() => {
    setFrom(view.from);
    setTo(view.to);
  }, [view.from, view.to]);
  const quick = QUICK_RANGES.find((r) => r.from === view.from && view.to === 'now');

  const step = (direction: -1 | 1) => {
    if (!resolved) return;
    const span = resolved.toMs - resolved.fromMs;
    onChange({
      from: new Date(resolved.fromMs + direction * span).toISOString(),
      to: new Date(resolved.toMs + direction * span).toISOString(),
    });
  };

  return (
    <div className="time-picker" data-testid="time-picker">
      <button type="button" aria-label="Previous range" title="Previous range" onClick={() => step(-1)} disabled={!resolved}>
        ‹
      </button>
      <select
        aria-label="Quick range"
        data-testid="quick-range"
        value={quick ? quick.from : 'custom'}
        onChange={(e) => e.target.value !== 'custom' && onChange({ from: e.target.value, to: 'now' })}
      >
        {QUICK_RANGES.map((r) => (
          <option key={r.from} value={r.from}>
            {r.label}
          </option>
        ))}
        <option value="custom">Custom</option>
      </select>
      <form
        className="range-inputs"
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ from: from.trim(), to: to.trim() });
        }}
      >
        <input aria-label="From" data-testid="range-from" value={from} onChange={(e) => setFrom(e.target.value)} size={22} />
        <span aria-hidden="true">→</span>
        <input aria-label="To" data-testid="range-to" value={to} onChange={(e) => setTo(e.target.value)} size={22} />
        <details className="calendar">
          <summary title="Pick absolute times on a calendar">Calendar</summary>
          <div className="calendar-panel">
          <label>
            Start <input type="datetime-local" step={1} aria-label="Start on a calendar" key={`from-${resolved?.fromMs}`} defaultValue={calendarValue(resolved?.fromMs)} onChange={(e) => e.target.value && setFrom(new Date(e.target.value).toISOString())} />
          </label>
          <label>
            End <input type="datetime-local" step={1} aria-label="End on a calendar" key={`to-${resolved?.toMs}`} defaultValue={calendarValue(resolved?.toMs)} onChange={(e) => e.target.value && setTo(new Date(e.target.value).toISOString())} />
          </label>
          <span className="muted small">Times in {ZONE}; Apply to search.</span>
          </div>
        </details>
        <button type="submit">Apply</button>
      </form>
      <button type="button" aria-label="Next range" title="Next range" onClick={() => step(1)} disabled={!resolved}>
        ›
      </button>
      <label className="refresh">
        <span>Refresh</span>
        <select
          aria-label="Auto-refresh"
          value={view.refresh}
          onChange={(e) => onChange({ refresh: e.target.value as RefreshInterval })}
        >
          {Object.keys(REFRESH_INTERVALS).map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      {resolved && (
        <span className="resolved muted" data-testid="resolved-range">
          {formatLocal(resolved.fromMs)} → {formatLocal(resolved.toMs)} ({ZONE})
        </span>
      )}
    </div>
  );
}
