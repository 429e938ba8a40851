// The Discover view lives in the URL: query, time range and auto-refresh, so a link reproduces
// what its sender saw and Back/Forward step through searches.
import { type FilterClause, isFilterOp, listsValues, oppositeOp } from '@/common/query-text';
import { MAX_TIME_MS, MIN_TIME_MS, parseTimeExpression } from '@/common/time-expression';

export const REFRESH_INTERVALS = { off: 0, '5s': 5_000, '30s': 30_000, '1m': 60_000 } as const;
export type RefreshInterval = keyof typeof REFRESH_INTERVALS;

export interface ViewState {
  q: string;
  /** As the user wrote it: `now-15m`, an ISO time, epoch ms. */
  from: string;
  to: string;
  refresh: RefreshInterval;
  /** Pills under the search bar, and-ed with the query. */
  filters: FilterClause[];
  /** Fields shown as table columns between the level and the message. */
  columns: string[];
  /** Widths in px of the columns the user resized. */
  widths: Record<string, number>;
  /** The table's order by time. */
  order: 'desc' | 'asc';
  /** Whether the table wraps long lines (else each row is one line, cut). */
  wrap: boolean;
  /** A line opened with its context (a link to one line). */
  line: string | null;
  /** The field the histogram is split by; null for levels. */
  split: string | null;
  /** The histogram's bar interval; null for Auto (about 60 bars). */
  interval: HistogramInterval | null;
  /** What is shown under the histogram: the lines, or their patterns. */
  tab: ResultTab;
  /** The id of the saved search open, as Kibana keeps it in its URL: a reload or link keeps it open. */
  saved: string | null;
}

/** The histogram's bar intervals besides Auto, as Kibana offers them, by URL name. */
export const HISTOGRAM_INTERVALS = { '1s': 1_000, '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 } as const;
export type HistogramInterval = keyof typeof HISTOGRAM_INTERVALS;

export const RESULT_TABS = ['documents', 'patterns'] as const;
export type ResultTab = (typeof RESULT_TABS)[number];

export const DEFAULT_VIEW: ViewState = { q: '', from: 'now-15m', to: 'now', refresh: 'off', filters: [], columns: [], widths: {}, order: 'desc', wrap: false, line: null, split: null, interval: null, tab: 'documents', saved: null };

/** Narrowest and widest a resized column may be. */
export const COLUMN_WIDTH = { min: 60, max: 800 } as const;

function readWidths(text: string | null): Record<string, number> {
  const widths: Record<string, number> = {};
  for (const part of (text ?? '').split(',')) {
    const at = part.lastIndexOf(':');
    const width = Number(part.slice(at + 1));
    if (at > 0 && Number.isInteger(width) && width >= COLUMN_WIDTH.min && width <= COLUMN_WIDTH.max) widths[part.slice(0, at)] = width;
  }
  return widths;
}

function readFilters(text: string | null): FilterClause[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value)) return [];
    return value.flatMap((f): FilterClause[] => {
      const { field, value: v, op, values, disabled } = (f ?? {}) as Record<string, unknown>;
      if (typeof field !== 'string' || typeof v !== 'string') return [];
      const off = disabled === true ? { disabled: true } : {};
      if (!isFilterOp(op)) return [];
      if (listsValues(op)) {
        if (!Array.isArray(values) || values.length === 0 || !values.every((x) => typeof x === 'string')) return [];
        return [{ field, value: v, op, values: values as string[], ...off }];
      }
      return [{ field, value: v, op, ...off }];
    });
  } catch {
    return []; // a mangled link still opens the page
  }
}

/**
 * `filters` with `filter` added as a click on a value adds it, as Kibana does: filtering for or
 * out a value already filtered turns that pill around in its place, and filtering as a pill
 * already does turns it back on if it was off. Never a second pill on the same value; `filters`
 * itself when nothing changes.
 */
export function withFilter(filters: readonly FilterClause[], filter: FilterClause): readonly FilterClause[] {
  const at = filters.findIndex(
    (f) => f.field === filter.field && (f.op === filter.op || f.op === oppositeOp(filter.op)) && f.value === filter.value && String(f.values) === String(filter.values),
  );
  if (at < 0) return [...filters, filter];
  if (filters[at].op === filter.op && !filters[at].disabled) return filters;
  return filters.map((f, i) => (i === at ? filter : f));
}

/** The relative `from` of a range as long as `ms` that ends now, in the largest whole unit. */
export function spanUntilNow(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes % 1440 === 0) return `now-${minutes / 1440}d`;
  if (minutes % 60 === 0) return `now-${minutes / 60}h`;
  return `now-${minutes}m`;
}

export function readView(params: URLSearchParams): ViewState {
  const refresh = params.get('refresh') ?? '';
  return {
    q: params.get('q') ?? DEFAULT_VIEW.q,
    from: params.get('from') || DEFAULT_VIEW.from,
    to: params.get('to') || DEFAULT_VIEW.to,
    refresh: refresh in REFRESH_INTERVALS ? (refresh as RefreshInterval) : DEFAULT_VIEW.refresh,
    filters: readFilters(params.get('filters')),
    columns: (params.get('cols') ?? '').split(',').filter(Boolean),
    widths: readWidths(params.get('widths')),
    order: params.get('order') === 'asc' ? 'asc' : 'desc',
    wrap: params.get('wrap') === '1',
    line: params.get('line') || null,
    split: params.get('split') || null,
    interval: (params.get('interval') ?? '') in HISTOGRAM_INTERVALS ? (params.get('interval') as HistogramInterval) : null,
    tab: params.get('tab') === 'patterns' ? 'patterns' : 'documents',
    saved: params.get('saved') || null,
  };
}

/** The query string for a view; defaults are left out so links stay short. */
export function writeView(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.from !== DEFAULT_VIEW.from) params.set('from', view.from);
  if (view.to !== DEFAULT_VIEW.to) params.set('to', view.to);
  if (view.refresh !== DEFAULT_VIEW.refresh) params.set('refresh', view.refresh);
  if (view.filters.length > 0) params.set('filters', JSON.stringify(view.filters));
  if (view.columns.length > 0) params.set('cols', view.columns.join(','));
  const widths = Object.entries(view.widths).filter(([name]) => name === 'message' || view.columns.includes(name) || ['time', 'source', 'level'].includes(name));
  if (widths.length > 0) params.set('widths', widths.map(([name, w]) => `${name}:${w}`).join(','));
  if (view.order !== DEFAULT_VIEW.order) params.set('order', view.order);
  if (view.wrap) params.set('wrap', '1');
  if (view.line) params.set('line', view.line);
  if (view.split) params.set('split', view.split);
  if (view.interval) params.set('interval', view.interval);
  if (view.tab !== DEFAULT_VIEW.tab) params.set('tab', view.tab);
  if (view.saved) params.set('saved', view.saved);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface ResolvedRange {
  fromMs: number;
  toMs: number;
}

/**
 * The view's range as instants at `now`, or a message saying what is wrong with it. Date math
 * (`now/d`, `now-1M`) counts days and months in `timeZone` (IANA; UTC when not given).
 */
export function resolveRange(view: Pick<ViewState, 'from' | 'to'>, now: number, timeZone?: string): ResolvedRange | { error: string } {
  const fromMs = parseTimeExpression(view.from, now, { timeZone });
  const toMs = parseTimeExpression(view.to, now, { timeZone, roundUp: true });
  if (fromMs === undefined) return { error: `"${view.from}" is not a time (try now-1h or 2026-11-25T10:00)` };
  if (toMs === undefined) return { error: `"${view.to}" is not a time (try now or 2026-11-25T11:00)` };
  for (const [text, ms] of [[view.from, fromMs], [view.to, toMs]] as const) {
    if (!(ms >= MIN_TIME_MS && ms <= MAX_TIME_MS)) return { error: `"${text}" is outside the times a log line can have (1970 to 9999)` };
  }
  if (fromMs >= toMs) return { error: 'the start of the range must be before its end' };
  return { fromMs, toMs };
}

export const QUICK_RANGES = [
  { label: 'Last 15 minutes', from: 'now-15m' },
  { label: 'Last 1 hour', from: 'now-1h' },
  { label: 'Last 4 hours', from: 'now-4h' },
  { label: 'Last 24 hours', from: 'now-24h' },
  { label: 'Last 7 days', from: 'now-7d' },
  { label: 'Last 30 days', from: 'now-30d' },
] as const;

/** Plain words and phrases of a query, for highlighting matches in messages. */
export function freeTextTerms(query: string): string[] {
  const terms: string[] = [];
  // Values inside a field's group (`level:(error or warn)`) are that field's, not free text.
  const q = query.replace(/[\w.\/-]+\s*:\s*\([^()]*\)/g, (group) => ' '.repeat(group.length));
  for (const match of q.matchAll(/"((?:[^"\\]|\\.)*)"|([^\s()":<>]+)(?=\s|$|\))/g)) {
    const phrase = match[1];
    const word = match[2];
    const before = q.slice(0, match.index);
    if (/[:<>=]\s*$/.test(before)) continue; // a field's value
    if (/^\s*[:<>]/.test(q.slice(match.index + match[0].length))) continue; // a field name
    if (phrase !== undefined) terms.push(phrase.replace(/\\(.)/g, '$1'));
    else if (word && !/^(and|or|not)$/i.test(word) && !word.startsWith('-') && !/[*?]/.test(word)) terms.push(word);
  }
  return terms.filter((t) => t.length > 0);
}
