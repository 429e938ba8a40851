// The storage interface (DESIGN.md, "Layers"): what an engine answers, in the query AST and plain
// values, never SQL. The read models of server/read/ call only this; server/store/<engine>/ holds
// everything an engine needs below it. Whatever a second engine would have to answer is here;
// whatever only one engine needs (its tables, files, threads, indexes) is not.
import type { IngestResult } from '../../common/ingest-batch';
import type { DamagedFiles, SourceInfo } from '../../common/read-api';
import type { CollectorSeen } from '../ingest/collectors';
import type { DecodedBatch } from '../ingest/decoded-batch';
import type { QueryNode } from '../query/ast';
import type { SavedSearch } from '../../common/saved-searches';
import type { GateCounts } from './read-gate';

export type { GateCounts, SourceInfo };

export interface MicrosRange {
  /** Inclusive, microseconds since the epoch. */
  fromUs: bigint;
  /** Exclusive. */
  toUs: bigint;
}

export type Order = 'asc' | 'desc';

/** An entry's place in the total order every page follows: time, then the line's file and offset. */
export interface EntryKey {
  ts: bigint;
  fileId: number;
  offset: bigint;
}

export interface StoredEntry {
  key: EntryKey;
  sourceId: number;
  stream: string;
  level: string;
  message: string;
  /** The extracted fields as JSON text, or null for a plain line. */
  fields: string | null;
  truncated: boolean;
}

export interface PageRequest {
  query: QueryNode;
  range: MicrosRange;
  order: Order;
  limit: number;
  /** Only entries strictly after this key in `order` (keyset paging). */
  after: EntryKey | null;
  /** Only entries of these sources (a context scope), when given. */
  sourceIds?: readonly number[];
}

/** Split a histogram's counts by a field's values: the `limit` most frequent, the rest and none. */
export interface SplitRequest {
  field: string;
  limit: number;
}

export interface CountsRequest {
  query: QueryNode;
  range: MicrosRange;
  /** Bucket i counts entries in [originUs + i·intervalUs, originUs + (i+1)·intervalUs). */
  originUs: bigint;
  intervalUs: bigint;
  split: SplitRequest | null;
}

export interface BucketCount {
  bucket: number;
  level: string;
  n: number;
  /** With a split: the entries' group, by the rank of its value among the top ones. */
  group?: { kind: 'value'; value: string; rank: number } | { kind: 'other' } | { kind: 'missing' };
}

/** Exact counts per source (and level, stream when asked): what field lists count built-in fields from. */
export interface SourceTally {
  sourceId: number;
  /** When the tally was asked `by` level. */
  level?: string;
  /** When the tally was asked `by` stream. */
  stream?: string;
  n: number;
}

export interface TallyRequest {
  query: QueryNode;
  range: MicrosRange;
  /** Entry columns to count by besides the source; each one more makes more groups to count. */
  by: readonly ('level' | 'stream')[];
}

export interface SampleRequest {
  query: QueryNode;
  range: MicrosRange;
  /** The newest this many matching entries. */
  size: number;
  /** Their extracted fields (JSON text), or the first `messageChars` characters of their message. */
  column: 'fields' | 'message';
  messageChars?: number;
}

export interface PatternTextsRequest {
  query: QueryNode;
  range: MicrosRange;
  /** The newest this many matching entries. */
  size: number;
  /** Characters of each text wanted; one more is sent where there are more, to say so. */
  chars: number;
}

export interface PatternCountsRequest {
  query: QueryNode;
  range: MicrosRange;
  /** Bucket i counts entries in [originUs + i·intervalUs, originUs + (i+1)·intervalUs). */
  originUs: bigint;
  intervalUs: bigint;
  /** Templates (query/pattern-template.ts): the entries matching `query` that each one fits are counted. */
  templates: readonly string[];
}

export interface PatternBucketCount {
  bucket: number;
  level: string;
  /** Entries matching the query in this bucket and level. */
  n: number;
  /** Of those, how many each template fits, by the template's index. */
  fits: number[];
}

export interface ValuesRequest {
  query: QueryNode;
  range: MicrosRange;
  /** An entry column (`level`, `stream`) or an extracted field's key. */
  target: { kind: 'entry'; column: 'level' | 'stream' } | { kind: 'extracted'; path: string };
  /** Lowercase; values are matched case-insensitively. */
  prefix: string;
  limit: number;
}

export interface ValueCount {
  value: string;
  count: number;
}

/**
 * Turns a body an engine kept as it was sent (DuckDB's journal) back into the batch it was: the
 * ingest side's decoder, given to the engine at open so storage does not depend on how batches
 * are decoded. Any size: the body was taken under whatever LOGPOND_MAX_BATCH was then.
 */
export type JournalReplay = (body: Uint8Array, encoding: string) => DecodedBatch;

export interface ReadOptions {
  /** Aborted when the client disconnects: the running read is stopped. */
  signal?: AbortSignal;
  /**
   * The read continues a response already begun (a tail's next poll, an export's next page): it
   * waits for its turn however long the queue, because a refusal would cut the response.
   */
  continuing?: boolean;
}

/** One consistent view of the store: every call inside one `read` sees the same entries. */
export interface StorageView {
  /** Up to `limit` entries matching, in `order`, strictly after `after`. */
  page(request: PageRequest): Promise<StoredEntry[]>;
  /** Entries per bucket and level (and split group) of the range. */
  counts(request: CountsRequest): Promise<BucketCount[]>;
  /**
   * Per bucket and level, the entries matching the query and how many of them each template fits:
   * exactly what `pattern:"<template>"` added to the query finds.
   */
  patternCounts(request: PatternCountsRequest): Promise<PatternBucketCount[]>;
  /** How many entries match in the range. */
  total(query: QueryNode, range: MicrosRange): Promise<number>;
  /** Matching entries per source, and per level and stream when asked. */
  tally(request: TallyRequest): Promise<SourceTally[]>;
  /** One column of the newest matching entries, newest first. */
  sample(request: SampleRequest): Promise<(string | null)[]>;
  /**
   * The first line of the pattern text (query/pattern-template.ts) of the newest matching entries,
   * newest first, each at most `chars` + 1 characters.
   */
  patternTexts(request: PatternTextsRequest): Promise<string[]>;
  /** The most frequent values of an entry column or extracted field among the matching entries. */
  values(request: ValuesRequest): Promise<ValueCount[]>;
  /** The entry with this key, or null when there is none. */
  entry(key: EntryKey): Promise<StoredEntry | null>;
  /** The sources that share a pod (its uid where known, else namespace and name) or a node with this one. */
  neighbours(sourceId: number, scope: 'pod' | 'node'): Promise<number[]>;
  /** Metadata of these sources, by id. */
  sources(ids: Iterable<number>): Promise<Record<string, SourceInfo>>;
  /** Every pod label key any source has. */
  labelKeys(): Promise<string[]>;
}

/** Which engine runs, for /api/status and the metrics. */
export interface EngineInfo {
  /** `duckdb`, `clickhouse`, or `chdb` (ClickHouse embedded in the server process). */
  name: string;
  version: string;
}

export interface StoreStats {
  engine: EngineInfo;
  entries: number;
  sources: number;
  oldest: string | null;
  newest: string | null;
  diskBytes: number;
  hotEntries: number;
  segments: number;
  /** Complete hours, and how many of them are settled (sorted, indexed): reads are fast once all are. */
  settling: { hours: number; settled: number };
  /** Files the store could not read and set aside, with the entries they held; absent when none. */
  damaged?: DamagedFiles;
}

/** What the metrics route reports about reads. */
export interface ReadCounts {
  reads: number;
  timedOut: number;
  cancelled: number;
}

export interface SavedSearchStore {
  /** The owner's searches, by name (case-insensitive). */
  list(owner: string): Promise<SavedSearch[]>;
  /** Saves `view` under `name`; the owner's search of the same name is replaced, keeping its id. */
  save(owner: string, name: string, view: Record<string, unknown>): Promise<SavedSearch>;
  /**
   * Writes `name` and `view` into the owner's search `id`, which keeps its id (a rename when the
   * name is new); the owner's other search of that name is replaced. 404 for an id not theirs.
   */
  update(owner: string, id: string, name: string, view: Record<string, unknown>): Promise<SavedSearch>;
  remove(owner: string, id: string): Promise<void>;
}

/**
 * When each user last signed out, kept where every server on the store reads it: a store that
 * several servers share has one (server/auth/session-sync.ts); one server's store does not need it.
 */
export interface SessionEndStore {
  /** Sessions of `user` signed at or before `atMs` are over. */
  end(user: string, atMs: number): Promise<void>;
  /** Each user's latest sign-out, in epoch milliseconds. */
  all(): Promise<Map<string, number>>;
}

/**
 * What each server on a shared store has seen of the collectors and shippers that send to it,
 * so any of them lists them all (server/ingest/collectors.ts); one server's store does not need it.
 */
export interface CollectorSightings {
  /** This server's sightings (its own cumulative counts), under `server`, an id of this process. */
  record(server: string, seen: readonly CollectorSeen[]): Promise<void>;
  /** Every server's latest sightings, each under its server's id. */
  all(): Promise<Array<CollectorSeen & { server: string }>>;
}

export interface LogStorage {
  /**
   * Stores a decoded batch whole or not at all; a line already stored (same file and offset) is
   * counted as a duplicate. Batches are stored in the order of the calls: a line at or below the
   * highest offset stored of its file is a duplicate, so a later call must not overtake.
   */
  ingest(batch: DecodedBatch): Promise<IngestResult>;
  /** Runs `read` on one consistent view, stopped at the query timeout or when `signal` aborts. */
  read<T>(read: (view: StorageView) => Promise<T>, options?: ReadOptions): Promise<T>;
  readonly readCounts: ReadCounts;
  /** Reads running, waiting and refused (the read limit). */
  gateCounts(): GateCounts;
  /** Saved searches live with the logs: one store to back up. */
  readonly savedSearches: SavedSearchStore;
  /** Present when several servers may share the store (ClickHouse): sign-outs reach them all through it. */
  readonly sessionEnds?: SessionEndStore;
  /** Present when several servers may share the store: each lists the collectors that sent to any. */
  readonly collectorSightings?: CollectorSightings;
  stats(): Promise<StoreStats>;
  /** Null while the engine answers; else what is wrong (a server the engine is on cannot be reached). */
  health(): Promise<string | null>;
  /** Where the logs are, for the server's start line: a directory, or a server and database (never a password). */
  describe(): string;
  /** Bytes the engine holds in memory, by part, for the metrics route. */
  memory(): Promise<Record<string, number>>;
  /** One round of maintenance: retention by age and by disk size, and the engine's own upkeep. */
  maintain(): Promise<unknown>;
  close(): Promise<void>;
}
