// GET /api/patterns: the shapes of the lines matching a query, each with its exact count, level
// mix and histogram. The newest PATTERN_SAMPLE_SIZE matching lines are clustered (Drain,
// server/patterns/); then one grouped scan counts, over the whole range, the lines each shown
// template fits — the same predicate `pattern:"<template>"` compiles to, so filtering by a pattern
// finds exactly the lines it counted, sampled or not.
import { createHash } from 'node:crypto';
import type { PatternSummary, PatternsResponse } from '../../common/read-api';
import type { QueryNode } from '../query/ast';
import { Drain } from '../patterns/drain';
import { patternTokens } from '../patterns/tokens';
import type { MicrosRange, StorageView } from '../store/log-storage';
import { microsToIso } from '../store/timestamps';
import { alignedOrigin } from './zone-offset';
import { roundInterval } from './histogram';

/**
 * Lines clustered at most: the newest of the range (Kibana's categorization samples too). Enough
 * to find nearly all of the largest shapes, whose counts are then exact over every line; reading
 * and clustering more is time the tab waits for.
 */
export const PATTERN_SAMPLE_SIZE = 30_000;
/**
 * Patterns counted and shown unless more are asked for: a screenful. Each costs the count a
 * predicate on every line of the range.
 */
export const DEFAULT_PATTERNS = 30;
export const MAX_PATTERNS = 200;
/** Characters of each line's pattern text read; a longer one ends its template in `<_>`. */
export const PATTERN_TEXT_CHARS = 1_000;
/** Lines clustered between yields of the event loop: a few milliseconds of work. */
const YIELD_EVERY_LINES = 2_000;
/** Characters of an example kept. */
const EXAMPLE_CHARS = 500;
/** "Sort by change" compares the last fifth of the range with the rest. */
const RECENT_SHARE = 0.2;

export interface PatternsRequest {
  query: QueryNode;
  range: MicrosRange;
  limit: number;
  buckets: number;
  /** The reader's zone's offset east of UTC, so the sparklines' buckets are the histogram's. */
  offsetUs?: bigint;
  /** Lines clustered at most; PATTERN_SAMPLE_SIZE unless a test asks for fewer. */
  sampleSize?: number;
}

export async function patterns(view: StorageView, request: PatternsRequest): Promise<Omit<PatternsResponse, 'tookMs'>> {
  const { query, range, limit } = request;
  const texts = await view.patternTexts({ query, range, size: request.sampleSize ?? PATTERN_SAMPLE_SIZE, chars: PATTERN_TEXT_CHARS });
  const drain = new Drain();
  for (const [i, text] of texts.entries()) {
    // The server's one thread also appends ingest batches: it is let go between slices.
    if (i > 0 && i % YIELD_EVERY_LINES === 0) await new Promise((resolve) => setImmediate(resolve));
    addPatternText(drain, text);
  }
  const all = drain.clusters();
  const clusters = all.slice(0, limit);
  const templates = clusters.map((c) => c.tokens.join(' '));

  const intervalUs = BigInt(roundInterval(Number(range.toUs - range.fromUs) / 1000, request.buckets)) * 1000n;
  const originUs = alignedOrigin(range.fromUs, intervalUs, request.offsetUs ?? 0n);
  const bucketCount = Number((range.toUs - originUs + intervalUs - 1n) / intervalUs);
  const counts = await view.patternCounts({ query, range, originUs, intervalUs, templates });

  const found = templates.map((template, i) => ({
    template,
    examples: clusters[i].examples,
    count: 0,
    levels: {} as Record<string, number>,
    buckets: new Array<number>(bucketCount).fill(0),
  }));
  let total = 0;
  for (const row of counts) {
    if (row.bucket < 0 || row.bucket >= bucketCount) continue;
    total += row.n;
    row.fits.forEach((n, i) => {
      if (n === 0) return;
      const p = found[i];
      p.count += n;
      p.levels[row.level] = (p.levels[row.level] ?? 0) + n;
      p.buckets[row.bucket] += n;
    });
  }
  const recentFrom = range.fromUs + BigInt(Math.round(Number(range.toUs - range.fromUs) * (1 - RECENT_SHARE)));
  const summaries: PatternSummary[] = found
    .filter((p) => p.count > 0)
    .map((p) => ({
      id: patternId(p.template),
      template: p.template,
      count: p.count,
      share: total === 0 ? 0 : p.count / total,
      levels: p.levels,
      buckets: p.buckets,
      examples: p.examples,
      change: changeOf(p.buckets, originUs, intervalUs, range, recentFrom),
    }))
    .sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : 1));
  return {
    patterns: summaries,
    total,
    sampled: texts.length < total,
    sampleSize: texts.length,
    // Counted exactly or not at all: a pattern of the sample that fits no line of the range is none.
    found: all.length - (clusters.length - summaries.length),
    from: microsToIso(originUs),
    to: microsToIso(range.toUs),
    intervalMs: Number(intervalUs / 1000n),
  };
}

/** One line's pattern text, as the store's patternTexts gave it, clustered into `drain`. */
export function addPatternText(drain: Drain, text: string): void {
  // More than PATTERN_TEXT_CHARS (in UTF-16 units at least as many as in characters): cut, and said so.
  const cut = text.length > PATTERN_TEXT_CHARS && [...text].length > PATTERN_TEXT_CHARS;
  const line = cut ? [...text].slice(0, PATTERN_TEXT_CHARS).join('') : text;
  drain.add(patternTokens(line, cut), exampleOf(line, cut));
}

/** A digest of the template: the same pattern has the same id in every answer. */
export function patternId(template: string): string {
  return createHash('sha256').update(template).digest('hex').slice(0, 16);
}

function exampleOf(line: string, cut: boolean): string {
  return line.length > EXAMPLE_CHARS ? `${line.slice(0, EXAMPLE_CHARS)}…` : cut ? `${line}…` : line;
}

/**
 * The rate in the last fifth of the range over the rate before it, each count plus one so a
 * pattern seen once is not "infinitely" new. A bucket counts as recent when it starts in that fifth.
 */
function changeOf(buckets: number[], originUs: bigint, intervalUs: bigint, range: MicrosRange, recentFrom: bigint): number {
  let recent = 0;
  let earlier = 0;
  let firstRecent = buckets.length;
  buckets.forEach((n, i) => {
    const start = originUs + BigInt(i) * intervalUs;
    if (start >= recentFrom) {
      recent += n;
      firstRecent = Math.min(firstRecent, i);
    } else earlier += n;
  });
  const recentStart = firstRecent < buckets.length ? originUs + BigInt(firstRecent) * intervalUs : range.toUs;
  const recentSpan = Number(range.toUs - recentStart);
  const earlierSpan = Number(recentStart - range.fromUs);
  if (recentSpan <= 0 || earlierSpan <= 0) return 1;
  const ratio = (recent + 1) / recentSpan / ((earlier + 1) / earlierSpan);
  return Math.round(ratio * 100) / 100;
}
