'use client';
// The time range: quick ranges, relative (`now-2h`) or absolute (ISO) bounds typed in, the
// resolved range shown in the chosen time zone, step buttons, and auto-refresh.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeExpression } from '@/common/time-expression';
import { formatInZone, type TimeZoneSetting, useTimeZone, wallClockToMs, zoneName } from './time-zone';
import { QUICK_RANGES, REFRESH_INTERVALS, type RefreshInterval, type ResolvedRange, resolveRange, type ViewState } from './view-state';

/** Keys that move a closed list's choice without opening it. */
const MOVING_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown']);
/** A quick range chosen with those keys is searched once they rest this long (or on Enter). */
const QUICK_KEYS_SETTLE_MS = 1_000;

interface Props {
  view: ViewState;
  resolved: ResolvedRange | null;
  onChange: (change: Partial<ViewState>) => void;
  /** The bounds typed but not applied (null when there are none), for a search to apply with its query. */
  onPending?: (bounds: Pick<ViewState, 'from' | 'to'> | null) => void;
  /**
   * Counts the searches from the query box, which apply typed bounds only when they are good: a
   * bad one is then refused as Apply refuses it, where it had been passed over in silence.
   */
  searchesFromBox?: number;
}


const NOT_APPLIED = 'Not applied yet: Enter here, Apply, or a search applies it';

/** A datetime-local input's value for an instant: the range shown, so the calendar starts there. */
function calendarValue(ms: number | undefined, zone: TimeZoneSetting): string | undefined {
  return ms === undefined ? undefined : formatInZone(ms, zone).replace(' ', 'T');
}

/** A typed bound as the URL keeps it: a wall-clock time is read in the chosen zone and made absolute. */
function absoluteBound(text: string, zone: TimeZoneSetting): string {
  const ms = wallClockToMs(text, zone);
  return ms === undefined ? text.trim() : new Date(ms).toISOString();
}

/**
 * A bound of the URL as its box shows it: an absolute time on the chosen zone's wall clock, as one
 * would type it (the URL keeps UTC, so a link means the same everywhere); date math as it is.
 */
function shownBound(bound: string, zone: TimeZoneSetting): string {
  if (/^now/i.test(bound.trim())) return bound;
  const ms = parseTimeExpression(bound, 0);
  if (ms === undefined || !Number.isFinite(ms)) return bound;
  const millis = ((ms % 1000) + 1000) % 1000;
  return `${formatInZone(ms, zone)}${millis ? `.${String(millis).padStart(3, '0')}` : ''}`;
}

export function TimePicker({ view, resolved, onChange, onPending, searchesFromBox = 0 }: Props) {
  const zone = useTimeZone();
  const shownFrom = shownBound(view.from, zone);
  const shownTo = shownBound(view.to, zone);
  const [from, setFrom] = useState(shownFrom);
  const [to, setTo] = useState(shownTo);
  /** The error of an attempt to apply, shown until the boxes change. */
  const [refused, setRefused] = useState<string | null>(null);
  useEffect(() => {
    setFrom(shownFrom);
    setTo(shownTo);
    setRefused(null); // a range set another way (a quick range, a zoom, Back) ends the refusal
  }, [shownFrom, shownTo]);
  const pending = from !== shownFrom || to !== shownTo;
  // Only a box typed in is read again: one left as shown keeps the URL's bound exactly.
  const applied = () => ({ from: from !== shownFrom ? absoluteBound(from, zone) : view.from, to: to !== shownTo ? absoluteBound(to, zone) : view.to });
  // What is wrong with the bounds typed, if anything: they are not applied, and the results of the
  // range before stay (as Kibana and Grafana refuse an invalid range in the picker).
  const typedError = (): string | null => {
    if (!pending) return null;
    const range = resolveRange(applied(), Date.now(), zoneName(zone));
    return 'error' in range ? range.error : null;
  };
  const invalid = typedError();
  // The box to mark: the one that is no time a line can have; both when each is one but the start
  // is not before the end.
  const wrong = (text: string, shown: string, roundUp: boolean) => {
    if (text === shown) return false;
    const ms = parseTimeExpression(absoluteBound(text, zone), Date.now(), { timeZone: zoneName(zone), roundUp });
    return !(ms !== undefined && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS);
  };
  const fromWrong = wrong(from, shownFrom, false);
  const toWrong = wrong(to, shownTo, true);
  const fromBad = invalid !== null && (fromWrong || !toWrong);
  const toBad = invalid !== null && (toWrong || !fromWrong);
  // The calendar is a popover: Escape or a press elsewhere closes it, and so does applying.
  const [calendarOpen, setCalendarOpen] = useState(false);
  // Each opening starts at the range shown then: a search again, or auto-refresh, moves "now".
  const [calendarOpenings, setCalendarOpenings] = useState(0);
  const calendar = useRef<HTMLDetailsElement>(null);
  const calendarSummary = useRef<HTMLElement>(null);
  const closeCalendar = useCallback(() => setCalendarOpen(false), []);
  useDismiss(calendarOpen, closeCalendar, calendar, calendarSummary);
  /** From or To: marked while typed and not applied, or when it is what makes the range wrong. */
  const fromBox = useRef<HTMLInputElement>(null);
  const boundBox = (label: string, testId: string, text: string, shown: string, bad: boolean, set: (text: string) => void) => (
    <input
      ref={label === 'From' ? fromBox : undefined}
      aria-label={label}
      data-testid={testId}
      className={bad ? 'invalid' : text !== shown ? 'pending' : undefined}
      aria-invalid={bad || undefined}
      aria-describedby={refused ? 'range-input-error' : undefined}
      title={bad ? (invalid ?? undefined) : text !== shown ? NOT_APPLIED : undefined}
      value={text}
      onChange={(e) => {
        set(e.target.value);
        setRefused(null);
      }}
      size={22}
    />
  );
  /** A calendar pick into its box, as the box shows times: the chosen zone's wall clock. */
  const pick = (set: (text: string) => void, value: string) => {
    set(value.replace('T', ' '));
    setRefused(null);
  };
  useEffect(() => {
    onPending?.(pending && !invalid ? applied() : null);
  }, [pending, invalid, from, to, zone, onPending]);
  const invalidNow = useRef(invalid);
  invalidNow.current = invalid;
  useEffect(() => {
    if (searchesFromBox > 0 && invalidNow.current) setRefused(invalidNow.current);
  }, [searchesFromBox]);
  const quick = QUICK_RANGES.find((r) => r.from === view.from && view.to === 'now');
  const [quickChosen, setQuickChosen] = useState<string | null>(null);
  const quickByKeys = useRef(false);
  const quickSettles = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(quickSettles.current), []);
  const takeQuick = (value: string) => {
    clearTimeout(quickSettles.current);
    setQuickChosen(null);
    // Custom is typed: it only points at From.
    if (value === 'custom') fromBox.current?.focus();
    else onChange({ from: value, to: 'now' });
  };

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
        value={quickChosen ?? (quick ? quick.from : 'custom')}
        onKeyDown={(e) => {
          if (MOVING_KEYS.has(e.key)) quickByKeys.current = true;
          else if (e.key === 'Enter' && quickChosen !== null) {
            e.preventDefault();
            takeQuick(quickChosen);
          }
        }}
        onBlur={() => quickChosen !== null && takeQuick(quickChosen)}
        onChange={(e) => {
          const value = e.target.value;
          const byKeys = quickByKeys.current;
          quickByKeys.current = false;
          // Where the closed list changes with each arrow (Chrome off macOS, Firefox), each step
          // searched: the one chosen is searched on Enter, on leaving the list, or once the keys rest.
          if (!byKeys) return takeQuick(value);
          setQuickChosen(value);
          clearTimeout(quickSettles.current);
          quickSettles.current = setTimeout(() => takeQuick(value), QUICK_KEYS_SETTLE_MS);
        }}
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
          setRefused(invalid);
          if (invalid) return;
          setCalendarOpen(false);
          onChange(applied());
        }}
      >
        {boundBox('From', 'range-from', from, shownFrom, fromBad, setFrom)}
        <span aria-hidden="true">→</span>
        {boundBox('To', 'range-to', to, shownTo, toBad, setTo)}
        {/* Opened by the page, not by the browser's own toggle: that one comes a task later, and an
            Escape pressed at once found no popover open to close. */}
        <details className="calendar" ref={calendar} open={calendarOpen}>
          <summary
            ref={calendarSummary}
            title="Pick absolute times on a calendar"
            onClick={(e) => {
              e.preventDefault();
              if (!calendarOpen) setCalendarOpenings((n) => n + 1);
              setCalendarOpen(!calendarOpen);
            }}
          >
            Calendar
          </summary>
          <div className="calendar-panel">
          <label>
            Start <input type="datetime-local" step={1} aria-label="Start on a calendar" key={`from-${view.from}-${calendarOpenings}`} defaultValue={calendarValue(resolved?.fromMs, zone)} onChange={(e) => e.target.value && pick(setFrom, e.target.value)} />
          </label>
          <label>
            End <input type="datetime-local" step={1} aria-label="End on a calendar" key={`to-${view.to}-${calendarOpenings}`} defaultValue={calendarValue(resolved?.toMs, zone)} onChange={(e) => e.target.value && pick(setTo, e.target.value)} />
          </label>
          <span className="muted small">Times in {zoneName(zone)}; Apply to search.</span>
          </div>
        </details>
        <button type="submit">Apply</button>
        {refused && (
          <span className="error small" role="alert" id="range-input-error" data-testid="range-input-error">
            Not applied: {refused}
          </span>
        )}
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
          {formatInZone(resolved.fromMs, zone)} → {formatInZone(resolved.toMs, zone)} ({zoneName(zone)})
        </span>
      )}
    </div>
  );
}
