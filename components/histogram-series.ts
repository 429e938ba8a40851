// What the histogram stacks: the levels (fixed colours, most severe on top of the legend), or the
// groups of a split field (the top values by count, then "other" and "no value").
import type { HistogramResponse } from '@/common/read-api';

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
/** Told apart by people with the common colour-vision deficiencies (Okabe–Ito, then Tableau). */
const GROUP_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#4e79a7', '#59a14f', '#b07aa1', '#ff9da7', '#9c755f'];
const OTHER = '__other__';
const MISSING = '__missing__';

export interface Series {
  /** The data key of the chart rows; never the raw value, whose dots Recharts would read as a path. */
  key: string;
  label: string;
  color: string;
}

export interface ChartRow {
  t: number;
  /**
   * Where the bucket ends: the next one's start, or `t` + the interval for the last. Not always
   * t + interval: a day's bucket across a change of daylight saving time is 23 or 25 hours.
   */
  end: number;
  count: number;
  [key: string]: number;
}

/** Each row's end: the next row's start, the last's `t` + `intervalMs`. */
function withEnds(rows: Omit<ChartRow, 'end'>[], intervalMs: number): ChartRow[] {
  return rows.map((row, i) => ({ ...row, end: i + 1 < rows.length ? rows[i + 1].t : row.t + intervalMs }) as ChartRow);
}

export function chartOf(response: HistogramResponse | undefined): { series: Series[]; rows: ChartRow[] } {
  if (!response) return { series: [], rows: [] };
  if (response.split) {
    const series = response.split.groups.map((g, i) => ({
      key: `g${i}`,
      label: g.value === OTHER ? 'other' : g.value === MISSING ? '(no value)' : g.value,
      color: g.value === OTHER ? '#a3a3a3' : g.value === MISSING ? '#d4d4d4' : GROUP_COLORS[i % GROUP_COLORS.length],
    }));
    const values = response.split.groups.map((g) => g.value);
    const rows = response.buckets.map((b) => {
      const row: Omit<ChartRow, 'end'> = { t: Date.parse(b.ts), count: b.count };
      values.forEach((v, i) => (row[`g${i}`] = b.groups?.[v] ?? 0));
      return row;
    });
    return { series, rows: withEnds(rows, response.intervalMs) };
  }
  const seen = new Set<string>();
  for (const b of response.buckets) for (const level of Object.keys(b.levels)) seen.add(level);
  const levels = [...seen].sort((a, b) => ((LEVEL_ORDER.indexOf(a) + 100) % 100) - ((LEVEL_ORDER.indexOf(b) + 100) % 100) || a.localeCompare(b));
  return {
    series: levels.map((level) => ({ key: level, label: level, color: LEVEL_COLORS[level] ?? LEVEL_COLORS.unknown })),
    rows: withEnds(response.buckets.map((b) => ({ t: Date.parse(b.ts), count: b.count, ...b.levels })), response.intervalMs),
  };
}
