'use client';
// Hits over time, stacked by level with stable colors. Dragging across the chart zooms to that
// span; clicking a bar narrows to its bucket.
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { histogramOptions, type SearchKey } from './queries';
import { formatLocal } from './time-picker';

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

export function HitHistogram({ searchKey, onRange }: Props) {
  const histogram = useQuery(histogramOptions(searchKey));
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
            <XAxis dataKey="t" type="category" tickFormatter={(t: number) => formatLocal(t).slice(5, 16)} minTickGap={40} fontSize={11} />
            <YAxis width={44} fontSize={11} allowDecimals={false} />
            <Tooltip
              labelFormatter={(t) => `${formatLocal(Number(t))} (${describeInterval(interval)})`}
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
