// GET /api/export: every matching line (not one page) as NDJSON or CSV, streamed page by page on
// the keyset cursor, up to a cap. The total is counted first so the headers can say whether the
// cap was hit before the body starts.
import type { QueryNode } from '../query/ast';
import type { LogStorage, MicrosRange, Order, StoredEntry } from '../store/log-storage';
import { fieldValue } from '../../common/field-value';
import { type HitKey, type SourceInfo, toHit } from './hits';
import { type OffsetPiece, zonedIso } from './zone-offset';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Lines per export at most: a million lines is ~200 MB of NDJSON, more than a browser tab holds. */
export const MAX_EXPORT_LINES = 1_000_000;
const PAGE = 5_000;

export const CSV_COLUMNS = ['ts', 'namespace', 'pod', 'container', 'node', 'stream', 'level', 'message', 'fields'] as const;
const SAME_AS_FIXED = new Set(['namespace', 'pod', 'container', 'node', 'stream', 'level', 'message']);
/** Columns a CSV may add (the table's own), and how long a name may be. */
export const MAX_EXPORT_COLUMNS = 50;
export const MAX_COLUMN_NAME_CHARS = 200;

export interface ExportRequest {
  query: QueryNode;
  range: MicrosRange;
  order: Order;
  format: ExportFormat;
  limit: number;
  /** CSV: fields after the fixed columns, as the page's table shows them (`route`, `labels.app`). */
  columns?: readonly string[];
  /** The reader's time zone over the range (`tz`, offsetPieces): each line's `ts` is said in it. UTC when absent. */
  zone?: readonly OffsetPiece[];
}

export interface ExportPlan {
  total: number;
  lines: number;
  capped: boolean;
  body: AsyncGenerator<string>;
}

export async function planExport(storage: LogStorage, request: ExportRequest, signal?: AbortSignal): Promise<ExportPlan> {
  const total = await storage.read((view) => view.total(request.query, request.range), { signal });
  const lines = Math.min(total, request.limit);
  return { total, lines, capped: total > request.limit, body: exportLines(storage, request, lines, signal) };
}

async function* exportLines(storage: LogStorage, request: ExportRequest, lines: number, signal?: AbortSignal): AsyncGenerator<string> {
  // A name the CSV already has a column for, with the same value (not `ts` or `fields`, which a
  // line's own fields can be called too), is not repeated.
  const extra = (request.columns ?? []).filter((c) => !SAME_AS_FIXED.has(c));
  if (request.format === 'csv') yield `${[...CSV_COLUMNS, ...extra].map(csvCell).join(',')}\r\n`;
  const zone = request.zone ?? [];
  let after: HitKey | null = null;
  let sent = 0;
  while (sent < lines) {
    const want = Math.min(PAGE, lines - sent);
    const page: { rows: StoredEntry[]; sources: Record<string, SourceInfo> } = await storage.read(async (view) => {
      const rows = await view.page({ query: request.query, range: request.range, order: request.order, limit: want, after });
      return { rows, sources: await view.sources(rows.map((e) => e.sourceId)) };
    }, { signal, continuing: true });
    if (page.rows.length === 0) return;
    let chunk = '';
    for (const row of page.rows) chunk += request.format === 'csv' ? csvLine(row, page.sources, extra, zone) : ndjsonLine(row, page.sources, zone);
    yield chunk;
    sent += page.rows.length;
    after = page.rows[page.rows.length - 1].key;
  }
}

function flat(row: StoredEntry, sources: Record<string, SourceInfo>, zone: readonly OffsetPiece[]) {
  const hit = toHit(row);
  const source = sources[hit.source];
  return {
    hit,
    ts: zonedIso(row.key.ts, zone),
    namespace: source?.namespace ?? '',
    pod: source?.pod ?? '',
    container: source?.container ?? '',
    node: source?.node ?? '',
    stream: hit.stream,
    level: hit.level,
    message: hit.message,
    fields: hit.fields,
    labels: source?.labels ?? {},
  };
}

function ndjsonLine(row: StoredEntry, sources: Record<string, SourceInfo>, zone: readonly OffsetPiece[]): string {
  const { hit: _hit, ...line } = flat(row, sources, zone);
  return `${JSON.stringify(line)}\n`;
}

function csvLine(row: StoredEntry, sources: Record<string, SourceInfo>, extra: readonly string[], zone: readonly OffsetPiece[]): string {
  const line = flat(row, sources, zone);
  const fixed = CSV_COLUMNS.map((c) => csvCell(c === 'fields' ? (Object.keys(line.fields).length ? JSON.stringify(line.fields) : '') : line[c]));
  const { hit } = line;
  return `${[...fixed, ...extra.map((c) => csvCell(fieldValue(hit, sources[hit.source], c) ?? ''))].join(',')}\r\n`;
}

/**
 * RFC 4180 quoting, plus a leading `'` on cells a spreadsheet would run as a formula (`=`, `+`,
 * `-`, `@`, tab, CR): log lines are written by whoever can reach a service, and CSV opens in Excel.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * `logpond-20261207T0553Z-20261207T0608Z.csv`: the range it holds, so two exports do not overwrite
 * each other; to the minute, in the zone its lines' times are said in (`…T1453+0900`, UTC without).
 */
export function exportFileName(range: MicrosRange, format: string, zone: readonly OffsetPiece[] = []): string {
  const stamp = (us: bigint) => {
    const iso = zonedIso(us, zone);
    return `${iso.slice(0, 16).replace(/[-:]/g, '')}${iso.endsWith('Z') ? 'Z' : iso.slice(-6).replace(':', '')}`;
  };
  return `logpond-${stamp(range.fromUs)}-${stamp(range.toUs)}.${format}`;
}
