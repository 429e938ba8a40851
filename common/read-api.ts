// The JSON shapes of the read routes (DESIGN.md, "The HTTP API (v1)"): the server builds them,
// the page reads them. Types only, so the browser bundle pulls in nothing of the server.

export interface Hit {
  /** Stable and opaque; `/api/context?id=` takes it. */
  id: string;
  /** ISO 8601 with microseconds, UTC. */
  ts: string;
  /** A key of the response's `sources`. */
  source: string;
  stream: string;
  level: string;
  message: string;
  fields: Record<string, unknown>;
  /** Present when the collector cut the line at LOGPOND_MAX_LINE. */
  truncated?: true;
}

export interface SourceInfo {
  node: string;
  namespace: string;
  pod: string;
  container: string;
  containerId: string;
  labels: Record<string, string>;
}

export interface SearchResponse {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
  nextCursor: string | null;
  tookMs: number;
  /** On an empty first page: fields, or values of a Kubernetes field or level, the query names that no entry in the range has. */
  warnings?: SearchWarning[];
}

export type SearchWarning =
  | {
      code: 'unknown_field';
      field: string;
      /** Where the field's name starts in `q`. */
      position: number;
      message: string;
      closest: string[];
    }
  | {
      code: 'unknown_value';
      field: string;
      value: string;
      /** The value as typed in `q` (quotes and all), and where it starts. */
      typed: string;
      position: number;
      message: string;
      closest: string[];
    };

export interface HistogramBucket {
  ts: string;
  count: number;
  levels: Record<string, number>;
  /** With `split`: the bucket's count per group of `HistogramResponse.split.groups`, every group present (0 when none). */
  groups?: Record<string, number>;
}

/** `__other__` holds the values past the top N, `__missing__` the entries without the field. */
export interface HistogramSplit {
  field: string;
  /** Top values by count over the whole range, then `__other__`, then `__missing__`; none with count 0. */
  groups: { value: string; count: number }[];
}

export interface HistogramResponse {
  from: string;
  to: string;
  intervalMs: number;
  total: number;
  buckets: HistogramBucket[];
  /** Present when the request had `split`. */
  split?: HistogramSplit;
}

/** One pattern of GET /api/patterns: a template and the lines it fits. */
export interface PatternSummary {
  /** Stable for the same template: a digest of it. */
  id: string;
  /** The lines' shared text with each variable part written `<_>`; `pattern:"<template>"` finds them. */
  template: string;
  /** Lines of the range matching the query that the template fits: exact, never extrapolated. */
  count: number;
  /** `count` over all the lines matching the query in the range. */
  share: number;
  /** `count` by level. */
  levels: Record<string, number>;
  /** `count` per bucket of the response's `intervalMs`, from its `from`: the histogram's buckets. */
  buckets: number[];
  /** Up to two of its lines (their pattern text), from the sample. */
  examples: string[];
  /**
   * How much more often it occurs in the last fifth of the range than before (1 = as often, 10 =
   * ten times as often); what "sort by change" orders by.
   */
  change: number;
}

export interface PatternsResponse {
  patterns: PatternSummary[];
  /** Lines matching the query in the range. */
  total: number;
  /** Whether the patterns were found in a sample (the newest `sampleSize` lines) rather than in every line. */
  sampled: boolean;
  sampleSize: number;
  /** Patterns found in all: `patterns` holds the `limit` largest of them. */
  found: number;
  /** Start of the first bucket (ISO 8601). */
  from: string;
  to: string;
  intervalMs: number;
  tookMs: number;
}

export type FieldType = 'keyword' | 'text' | 'string' | 'number' | 'boolean';

export interface FieldSummary {
  name: string;
  type: FieldType;
  count: number;
  top: { value: string; count: number }[];
  /** Counted over the sample, not all matching entries. */
  sampled?: true;
}

export interface FieldsResponse {
  total: number;
  sampleSize: number;
  fields: FieldSummary[];
}

export interface NumericSummary {
  min: number;
  max: number;
  avg: number;
  /** Percentiles interpolated between the closest ranks. */
  p50: number;
  p95: number;
  /** About ten equal-width bars on round edges, each [from, to); the last holds max. One bar when min = max. */
  buckets: { from: number; to: number; count: number }[];
}

export interface FieldStatsResponse {
  field: string;
  type: FieldType;
  /** Matching entries in the range (all of them, also when sampled). */
  total: number;
  /** Entries that have the field (of the sample when sampled). */
  count: number;
  /** Distinct values among those entries (exact over what was counted: the sample when sampled). */
  distinct: number;
  /** The ten most frequent values. */
  top: { value: string; count: number }[];
  /** When every counted value is a number. */
  numeric?: NumericSummary;
  /** Counted over the newest `sampleSize` matching entries, as /api/fields counts extracted fields. */
  sampled?: true;
  sampleSize?: number;
}

export interface Suggestion {
  kind: 'field' | 'value' | 'operator';
  text: string;
  from: number;
  to: number;
  count?: number;
}

export interface SuggestResponse {
  suggestions: Suggestion[];
}

export interface ContextResponse {
  before: Hit[];
  hit: Hit;
  after: Hit[];
  sources: Record<string, SourceInfo>;
}

/** GET /api/status: what the store holds, how far settling is, and the collectors seen. */
export interface StatusResponse {
  /** The storage engine (LOGPOND_STORE) and its version: `duckdb`, `clickhouse`, or `chdb` (embedded ClickHouse). */
  engine: { name: string; version: string };
  entries: number;
  sources: number;
  oldest: string | null;
  newest: string | null;
  diskBytes: number;
  /** Complete hours, and how many are indexed; reads over the rest scan every line. */
  settling: { hours: number; settled: number };
  /**
   * Segment files the store could not read (damaged on disk, or deleted from under it), set aside
   * with the entries they held, which no read counts any more; absent when there are none.
   */
  damaged?: DamagedFiles;
  /**
   * Who asked, as /api/auth/account names them (null with sign-in off): a page compares it with
   * the user it shows, which another tab's sign-in as someone else changes under it.
   */
  user?: string | null;
  /** Senders seen since the server started: Logpond's collectors, and shippers (`via` `otlp` or `loki`, id `<via>:<User-Agent product>`). */
  collectors: { id: string; via: 'collector' | 'otlp' | 'loki'; node: string; version: string | null; lastSeen: string; batches: number; entries: number }[];
}

/** Files a store set aside because it could not read them (StatusResponse.damaged). */
export interface DamagedFiles {
  files: number;
  entries: number;
  /** Where the files were moved, on the server, for an operator to look at. */
  directory: string;
}
