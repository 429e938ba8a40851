'use client';
// Hits over time, stacked by level with stable colors, or split by a field's top values (the
// rate per pod or node). Dragging across the chart zooms to that span; clicking a bar narrows to
// its bucket.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { memo, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { partialNote, partialSpan } from './partial-bucket';
import { chartOf, type Series } from './histogram-series';
import { ApiError, histogramOptions, isRefusal, type SearchKey } from './queries';
import { HISTOGRAM_INTERVALS, type HistogramInterval } from './view-state';
import { formatInZone, type TimeZoneSetting, useTimeZone, zoneName } from './time-zone';

const AXIS_TICK = { fill: 'var(--muted)' };

interface Props {
  searchKey: SearchKey;
  onRange: (fromMs: number, toMs: number) => void;
  /** The field the bars are split by; null stacks them by level. */
  split: string | null;
  onSplit: (field: string | null) => void;
  /** The bar interval chosen; null for Auto. */
  interval: HistogramInterval | null;
  onInterval: (interval: HistogramInterval | null) => void;
  /** Whether a screen reader says each new count: not while tailing or auto-refreshing, when it changes every few seconds. */
  announce?: boolean;
}

/** Fields offered in the "Split by" menu; any other field comes from the field list's Visualize. */
const SPLIT_CHOICES = ['namespace', 'pod', 'container', 'node', 'stream'];
/** A press that moved less than this is a click on its bar, not a drag. */
const CLICK_SLOP_PX = 4;

export function describeInterval(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
    [1, 'millisecond'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0) {
      const n = ms / size;
      return n === 1 ? `per ${name}` : `per ${n} ${name}s`;
    }
  }
  return `per ${ms} ms`;
}

/**
 * An x-axis label as precise as the buckets need and no more, so neighbouring labels never read
 * the same: seconds for sub-minute buckets, the date only when the range spans days.
 */
export function tickLabel(t: number, intervalMs: number, spanMs: number, zone: TimeZoneSetting): string {
  const text = formatInZone(t, zone); // YYYY-MM-DD HH:MM:SS
  if (intervalMs < 60_000) return spanMs >= 86_400_000 ? text.slice(5) : text.slice(11);
  if (spanMs >= 86_400_000 || intervalMs >= 86_400_000) return intervalMs >= 86_400_000 ? text.slice(5, 10) : text.slice(5, 16);
  return text.slice(11, 16);
}

interface TooltipProps {
  interval: number;
  /** The range counted (the response's from and to), against which a bar may be partial. */
  range: { fromMs: number; toMs: number };
  zone: TimeZoneSetting;
  series: Series[];
  active?: boolean;
  label?: string | number;
  payload?: readonly { dataKey?: unknown; value?: unknown; payload?: { end?: number } }[];
}

/** A bucket's end: its time of day, with its date when that is another day than the start's. */
function bucketEndText(startMs: number, endMs: number, zone: TimeZoneSetting): string {
  const [start, end] = [formatInZone(startMs, zone), formatInZone(endMs, zone)];
  return start.slice(0, 10) === end.slice(0, 10) ? end.slice(11) : end.slice(5);
}

/** One bucket: its time span and each level's count, in one compact block at the chart's top. */
function BucketTooltip({ interval, range, zone, series, active, label, payload }: TooltipProps) {
  if (!active || label === undefined || !payload) return null;
  const counts = new Map(payload.map((p) => [String(p.dataKey), Number(p.value ?? 0)]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const start = Number(label);
  const end = payload[0]?.payload?.end ?? start + interval;
  const partial = partialSpan(start, end, range.fromMs, range.toMs);
  return (
    <div className="bucket-tooltip" data-testid="histogram-tooltip">
      <div>
        <strong>{formatInZone(start, zone).slice(5)}</strong> – {bucketEndText(start, end, zone)} · {total.toLocaleString()} {total === 1 ? 'hit' : 'hits'}
      </div>
      {partial && (
        <div className="partial-note" data-testid="histogram-partial-note">
          {partialNote(partial, (ms) => formatInZone(ms, zone).slice(5))}
        </div>
      )}
      <div className="bucket-levels">
        {series.filter((s) => counts.get(s.key)).map((s) => (
          <span key={s.key} className="legend-item">
            <i style={{ background: s.color }} />
            {s.label} {counts.get(s.key)!.toLocaleString()}
          </span>
        ))}
      </div>
    </div>
  );
}

export const HitHistogram = memo(function HitHistogram({ searchKey, onRange, split, onSplit, interval: chosen, onInterval, announce }: Props) {
  // The last bars and total stay, dimmed, while the next search counts: the page does not redraw
  // an empty chart in between (nor, while tailing, every few seconds).
  const askedMs = chosen ? HISTOGRAM_INTERVALS[chosen] : null;
  const zone = useTimeZone();
  const histogram = useQuery({ ...histogramOptions(searchKey, { split, intervalMs: askedMs, zone: zoneName(zone) }), placeholderData: keepPreviousData });
  const counting = histogram.isPlaceholderData || !histogram.data;
  // Where a press began, kept out of state: a re-render between mousedown and mouseup redraws the
  // bars, and a bar redrawn mid-click never gets its click (one click in five did nothing).
  // Only a real drag (the pointer reached another bucket) renders, to show the selection.
  const pressed = useRef<{ start: number; end: number; x?: number } | null>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const { series, rows: data } = useMemo(() => chartOf(histogram.data), [histogram.data]);
  const interval = histogram.data?.intervalMs ?? 0;
  const span = data.length > 0 ? data[data.length - 1].t - data[0].t : 0;
  const counted = useMemo(
    () => (histogram.data ? { fromMs: Date.parse(histogram.data.from), toMs: Date.parse(histogram.data.to) } : { fromMs: 0, toMs: 0 }),
    [histogram.data],
  );
  // The bars the range cuts (the first and the last, at most), shaded behind as Kibana does.
  const partialBars = useMemo(
    () => data.filter((row, i) => (i === 0 || i === data.length - 1) && partialSpan(row.t, row.end, counted.fromMs, counted.toMs) !== null),
    [data, counted],
  );

  const plot = useRef<HTMLDivElement>(null);
  /**
   * The bucket under `clientX`; beyond the plot, its edge one when `clamp`, else none. Read from
   * the pointer, not from the chart's own idea of it: that is throttled, so in a quick drag it
   * lags behind (and is lost for a moment when new bars are drawn).
   */
  const bucketAt = (clientX: number, clamp: boolean): number | null => {
    const area = plot.current?.querySelector('.recharts-cartesian-grid')?.getBoundingClientRect();
    if (!area || area.width <= 0 || data.length === 0) return null;
    const i = Math.floor(((clientX - area.left) / area.width) * data.length);
    if (!clamp && (i < 0 || i >= data.length)) return null;
    return data[Math.max(0, Math.min(data.length - 1, i))].t;
  };
  // The end of a press: a drag zooms to the buckets it crossed, up to where it was released; a
  // click without one is the bar's own (below).
  const release = (clientX?: number) => {
    const press = pressed.current;
    pressed.current = null;
    setDrag(null);
    if (!press) return;
    // A press released where it began is a click, whatever bucket the rounding says.
    const moved = clientX !== undefined && press.x !== undefined && Math.abs(clientX - press.x) >= CLICK_SLOP_PX;
    const end = moved ? bucketAt(clientX, true) : null;
    if (end !== null) press.end = end;
    const last = Math.max(press.start, press.end);
    if (press.start !== press.end) zoomTo(Math.min(press.start, press.end), data.find((row) => row.t === last)?.end ?? last + interval);
  };
  // A bar the range cuts zooms to the part of it counted: a zoom never widens the range.
  const zoomTo = (fromMs: number, toMs: number) => onRange(Math.max(fromMs, counted.fromMs), Math.min(toMs, counted.toMs));

  // Recharts redraws every bar on any render: only new bars, a new zone or a drag redraw it, not
  // the render of a search still counting.
  const chart = useMemo(
    () => (
      <div ref={plot}>
      <ResponsiveContainer width="100%" height={120}>
        <BarChart
          data={data}
          barCategoryGap={1}
          onMouseDown={(state, e) => {
            const x = (e as { clientX?: number } | undefined)?.clientX;
            const at = x !== undefined ? bucketAt(x, false) : state?.activeLabel !== undefined ? Number(state.activeLabel) : null;
            if (at === null) return;
            pressed.current = { start: at, end: at, x };
            // Released off the chart, the drag ends all the same (the chart hears only its own mouseup).
            window.addEventListener('mouseup', (e) => pressed.current && release(e.clientX), { once: true });
          }}
          onMouseMove={(state, e) => {
            const press = pressed.current;
            if (!press) return;
            const x = (e as { clientX?: number } | undefined)?.clientX;
            // A hand's tremor during a click is no drag.
            if (x !== undefined && press.x !== undefined && Math.abs(x - press.x) < CLICK_SLOP_PX) return;
            const at = x !== undefined ? bucketAt(x, true) : state?.activeLabel !== undefined ? Number(state.activeLabel) : null;
            if (at === null || at === press.end) return;
            press.end = at;
            setDrag({ ...press });
          }}
          onMouseUp={(_state, e) => release((e as { clientX?: number } | undefined)?.clientX)}
        >
          {/* Recharts' own greys are for a white page: the theme's colours, light or dark. */}
          <CartesianGrid strokeDasharray="2 4" vertical={false} stroke="var(--border)" />
          <XAxis dataKey="t" type="category" tickFormatter={(t: number) => tickLabel(t, interval, span, zone)} minTickGap={40} fontSize={11} tick={AXIS_TICK} stroke="var(--border)" />
          <YAxis width={44} fontSize={11} allowDecimals={false} tick={AXIS_TICK} stroke="var(--border)" />
          <Tooltip
            content={<BucketTooltip interval={interval} range={counted} zone={zone} series={series} />}
            position={{ y: 0 }}
            cursor={{ fill: 'var(--panel)' }}
            allowEscapeViewBox={{ x: false, y: false }}
            wrapperStyle={{ zIndex: 5, pointerEvents: 'none' }}
            isAnimationActive={false}
          />
          {partialBars.map((row) => (
            <ReferenceArea key={`partial-${row.t}`} x1={row.t} x2={row.t} className="histogram-partial" fill="#94a3b8" fillOpacity={0.15} strokeOpacity={0} />
          ))}
          {series.map((s) => (
            <Bar
              key={s.key}
              dataKey={s.key}
              name={s.label}
              stackId="series"
              fill={s.color}
              isAnimationActive={false}
              cursor="pointer"
              onClick={(entry: { payload?: { t?: number; end?: number } }) => {
                const { t, end } = entry.payload ?? {};
                if (typeof t === 'number') zoomTo(t, end ?? t + interval);
              }}
            />
          ))}
          {drag && drag.start !== drag.end && <ReferenceArea x1={drag.start} x2={drag.end} strokeOpacity={0.3} />}
        </BarChart>
      </ResponsiveContainer>
      </div>
    ),
    [data, series, interval, span, zone, drag, onRange, counted, partialBars],
  );

  const error = histogram.isError ? histogram.error : null;
  // A refused query is the search bar's to explain; any other failure of the count is this chart's.
  if (error instanceof ApiError && error.code === 'query_syntax') return null;
  return (
    <section className="histogram" aria-label="Hits over time" data-testid="histogram">
      <div className="histogram-head">
        {/* A status: a screen reader says the new count when a search has run. */}
        <strong role="status" aria-live={announce === false ? 'off' : undefined} data-testid="total-hits" className={counting && !error ? 'counting' : undefined} aria-busy={(counting && !error) || undefined}>
          {error ? 'Hits not counted' : histogram.data ? `${histogram.data.total.toLocaleString()} ${histogram.data.total === 1 ? 'hit' : 'hits'}` : 'Counting…'}
        </strong>
        <label className="interval">
          <select aria-label="Interval" data-testid="interval" value={chosen ?? ''} onChange={(e) => onInterval((e.target.value || null) as HistogramInterval | null)}>
            <option value="">{chosen === null && interval > 0 ? `Auto (${describeInterval(interval)})` : 'Auto'}</option>
            {Object.keys(HISTOGRAM_INTERVALS).map((name) => (
              <option key={name} value={name}>
                {describeInterval(HISTOGRAM_INTERVALS[name as HistogramInterval])}
              </option>
            ))}
          </select>
        </label>
        {askedMs !== null && interval > askedMs && (
          <span className="muted small" data-testid="interval-scaled" title="A bar per interval asked for would make more than 1,000 bars">
            {' '}
            scaled to {describeInterval(interval).replace(/^per /, '')}
          </span>
        )}
        <label className="split-by">
          Split by{' '}
          <select aria-label="Split by" data-testid="split-by" value={split ?? ''} onChange={(e) => onSplit(e.target.value || null)}>
            <option value="">level</option>
            {[...SPLIT_CHOICES, ...(split && !SPLIT_CHOICES.includes(split) ? [split] : [])].map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <span className="legend" data-testid="legend">
          {series.map((s) => (
            <span key={s.key} className="legend-item" title={s.label}>
              <i style={{ background: s.color }} />
              {s.label}
            </span>
          ))}
        </span>
      </div>
      {error ? (
        <div className="empty error" role="alert" data-testid="histogram-error">
          {error instanceof ApiError && error.code === 'query_timeout'
            ? 'Counting every hit in this range took longer than the query time limit. Pick a shorter range or narrow the query.'
            : `Counting the hits failed: ${error.message}`}{' '}
          {!(isRefusal(error) || (error instanceof ApiError && error.code === 'query_timeout')) && (
            <button type="button" className="link" onClick={() => void histogram.refetch()}>
              Try again
            </button>
          )}
        </div>
      ) : (
        <div className={histogram.isFetching ? 'chart loading' : 'chart'} data-testid="histogram-chart">
          {chart}
        </div>
      )}
    </section>
  );
});
