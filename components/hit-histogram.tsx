'use client';
// Hits over time, stacked by level with stable colors. Dragging across the chart zooms to that
// span; clicking a bar narrows to its bucket.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { histogramOptions, type SearchKey } from './queries';
import { formatInZone, type TimeZoneSetting, useTimeZone } from './time-zone';

export const LEVEL_COLORS: Record<string, string> = {
  fatal: '#7f1d1d',
  error: '#dc2626',
  warn: '#d97706',
  info: '#2563eb',
  debug: '#64748b',
  trace: '#94a3b8',
  unknown: '#a3a3a3',
};
const LEVEL_ORDER = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'unknown'];

interface Props {
  searchKey: SearchKey;
  onRange: (fromMs: number, toMs: number) => void;
}

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
  zone: TimeZoneSetting;
  levels: string[];
  active?: boolean;
  label?: string | number;
  payload?: readonly { dataKey?: unknown; value?: unknown }[];
}

/** One bucket: its time span and each level's count, in one compact block at the chart's top. */
function BucketTooltip({ interval, zone, levels, active, label, payload }: TooltipProps) {
  if (!active || label === undefined || !payload) return null;
  const counts = new Map(payload.map((p) => [String(p.dataKey), Number(p.value ?? 0)]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const start = Number(label);
  return (
    <div className="bucket-tooltip" data-testid="histogram-tooltip">
      <div>
        <strong>{formatInZone(start, zone).slice(5)}</strong> – {formatInZone(start + interval, zone).slice(11)} · {total.toLocaleString()} hits
      </div>
      <div className="bucket-levels">
        {levels.filter((l) => counts.get(l)).map((level) => (
          <span key={level} className="legend-item">
            <i style={{ background: LEVEL_COLORS[level] ?? LEVEL_COLORS.unknown }} />
            {level} {counts.get(level)!.toLocaleString()}
          </span>
        ))}
      </div>
    </div>
  );
}

export function HitHistogram({ searchKey, onRange }: Props) {
  const histogram = useQuery(histogramOptions(searchKey));
  const zone = useTimeZone();
  // Where a press began, kept out of state: a re-render between mousedown and mouseup redraws the
  // bars, and a bar redrawn mid-click never gets its click (one click in five did nothing).
  // Only a real drag (the pointer reached another bucket) renders, to show the selection.
  const pressed = useRef<{ start: number; end: number } | null>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const data = useMemo(
    () => (histogram.data?.buckets ?? []).map((b) => ({ t: Date.parse(b.ts), count: b.count, ...b.levels })),
    [histogram.data],
  );
  const levels = useMemo(() => {
    const seen = new Set<string>();
    for (const b of histogram.data?.buckets ?? []) for (const level of Object.keys(b.levels)) seen.add(level);
    return [...seen].sort((a, b) => (LEVEL_ORDER.indexOf(a) + 100) % 100 - (LEVEL_ORDER.indexOf(b) + 100) % 100 || a.localeCompare(b));
  }, [histogram.data]);
  const interval = histogram.data?.intervalMs ?? 0;
  const span = data.length > 0 ? data[data.length - 1].t - data[0].t : 0;

  if (histogram.isError) {
    return null; // the table shows the error; one message is enough
  }
  return (
    <section className="histogram" aria-label="Hits over time" data-testid="histogram">
      <div className="histogram-head">
        <strong data-testid="total-hits">
          {histogram.data ? `${histogram.data.total.toLocaleString()} hits` : 'Counting…'}
        </strong>
        {interval > 0 && <span className="muted"> {describeInterval(interval)}</span>}
        <span className="legend">
          {levels.map((level) => (
            <span key={level} className="legend-item">
              <i style={{ background: LEVEL_COLORS[level] ?? LEVEL_COLORS.unknown }} />
              {level}
            </span>
          ))}
        </span>
      </div>
      <div className={histogram.isFetching ? 'chart loading' : 'chart'} data-testid="histogram-chart">
        <ResponsiveContainer width="100%" height={120}>
          <BarChart
            data={data}
            barCategoryGap={1}
            onMouseDown={(state) => {
              if (state?.activeLabel !== undefined) pressed.current = { start: Number(state.activeLabel), end: Number(state.activeLabel) };
            }}
            onMouseMove={(state) => {
              const press = pressed.current;
              if (!press || state?.activeLabel === undefined || Number(state.activeLabel) === press.end) return;
              press.end = Number(state.activeLabel);
              setDrag({ ...press });
            }}
            onMouseUp={() => {
              const press = pressed.current;
              pressed.current = null;
              if (drag) setDrag(null);
              // A click without a drag is the bar's own (below).
              if (press && press.start !== press.end) onRange(Math.min(press.start, press.end), Math.max(press.start, press.end) + interval);
            }}
          >
            <CartesianGrid strokeDasharray="2 4" vertical={false} />
            <XAxis dataKey="t" type="category" tickFormatter={(t: number) => tickLabel(t, interval, span, zone)} minTickGap={40} fontSize={11} />
            <YAxis width={44} fontSize={11} allowDecimals={false} />
            <Tooltip
              content={<BucketTooltip interval={interval} zone={zone} levels={levels} />}
              position={{ y: 0 }}
              allowEscapeViewBox={{ x: false, y: false }}
              wrapperStyle={{ zIndex: 5, pointerEvents: 'none' }}
              isAnimationActive={false}
            />
            {levels.map((level) => (
              <Bar
                key={level}
                dataKey={level}
                stackId="levels"
                fill={LEVEL_COLORS[level] ?? LEVEL_COLORS.unknown}
                isAnimationActive={false}
                cursor="pointer"
                onClick={(entry: { payload?: { t?: number } }) => {
                  const t = entry.payload?.t;
                  if (typeof t === 'number') onRange(t, t + interval);
                }}
              />
            ))}
            {drag && drag.start !== drag.end && <ReferenceArea x1={drag.start} x2={drag.end} strokeOpacity={0.3} />}
          </BarChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
