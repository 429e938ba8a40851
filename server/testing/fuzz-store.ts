// The lines the fuzz suites store: short plain, JSON and logfmt lines, multi-line and non-ASCII
// messages, and long lines (256 KiB, the collector's default cut) that a backtracking matcher
// cannot cross in time.
import type { SourceMeta, WireEntry } from '../../common/ingest-batch';
import { batch, lines, sourceMeta } from './batches';

const UNIT = 'GET /api/orders?id=123 200 12ms ';
export const LONG_LINE = UNIT.repeat(Math.ceil((256 * 1024) / UNIT.length)).slice(0, 256 * 1024);

export const FUZZ_SOURCES: SourceMeta[] = [
  sourceMeta('web', { labels: { 'app.kubernetes.io/name': 'web', team: 'shop' } }),
  sourceMeta('worker', { pod: 'worker-0', podUid: 'u-worker', labels: { 'app.kubernetes.io/name': 'worker' } }),
  sourceMeta('db', { namespace: 'data', node: 'node-b', pod: 'db-0', podUid: 'u-db', labels: {} }),
];

function message(i: number): string {
  switch (i % 9) {
    case 0:
      return JSON.stringify({ level: 'error', msg: 'request failed', status: 500 + (i % 4), latency_ms: i * 7, user: { id: i % 13 }, 'a/b': 'slash', 'x-y': i });
    case 1:
      return `level=warn msg="slow query" latency_ms=${i * 3} status=200 user.id=${i % 5}`;
    case 2:
      return `ERROR connection refused to db-${i % 3}:5432\n\tat Pool.connect (pool.js:${i})\n\tat main`;
    case 3:
      return `Grüße aus Köln ${i} — ünïcödé ✓ 日本語`;
    case 4:
      return `weird \u0001\u0007 control % _ \\ ' " chars ${i}`;
    default:
      return `INFO GET /api/orders?id=${i} 200 ${i % 90}ms`;
  }
}

/** `count` lines of `source` from `startMs`, every `longEvery`-th one a 256 KiB line. */
export function fuzzEntries(source: string, file: string, firstOffset: number, count: number, startMs: number, longEvery = 250): WireEntry[] {
  return lines({ source, file, firstOffset, count, startMs, message: (i) => (i % longEvery === longEvery - 1 ? LONG_LINE : message(i)) }).map((e, i) => ({
    ...e,
    ts: new Date(startMs + i * 100).toISOString(),
  }));
}

/** One batch per source, `count` lines each from `startMs`; the first source's hold the long lines. */
export function fuzzBatches(startMs: number, count: number, firstOffset = 0) {
  return FUZZ_SOURCES.map((s, n) => batch(fuzzEntries(s.key, `${s.key}:${n + 1}`, firstOffset, count, startMs + n, n === 0 ? 250 : Infinity), [s]));
}
