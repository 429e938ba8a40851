// Logpond's tables in ClickHouse, as numbered migrations: each server applies those the database
// has not seen, in order, at start; every statement is idempotent, so servers starting together
// may both apply one. A database migrated by newer code than this refuses to start.
//
// Layout, chosen for the read patterns of the page:
// - `entries`: one row per line. Sorted by (ts, file_id, offset), the order every page follows,
//   so a newest-first page reads the newest granules and stops; partitioned by day, so retention
//   drops whole parts (TTL with ttl_only_drop_parts, and maintain() drops days past retention at
//   once). Source metadata is not repeated per line: `source_id` points into `sources`, and a
//   filter on a pod field becomes `source_id IN (ids whose pod matches)`. stream and level are
//   enums of their fixed values, so a histogram groups by a one-byte key (per hour and level
//   over 10M lines: 120 ms, against 425 ms as LowCardinality strings); the message carries an n-gram bloom filter on its lowered text, which free
//   text (a case-insensitive substring, as on DuckDB) can use — a token index could not, since a
//   substring is not a token (SigNoz indexes lower(body) with n-grams too; the OpenTelemetry
//   exporter added one for LIKE; ClickStack's token and text indexes serve token search). A rare
//   word's lines are read a granule at a time, so granules are 2,048 rows with an 8 KiB filter
//   each, the same index bytes as 8,192 with 32 KiB: over the bench's 10M lines, a rare word's
//   first page took 98 ms instead of 155 and its count 54 instead of 100; a 7-day histogram
//   116 instead of 105. Time leads the sort key (all three do so); ClickStack and SigNoz put a
//   coarse time bucket and a source before the timestamp, which groups a file's lines for
//   compression but makes every read filter on the bucket too — not measured here yet. Extracted fields stay the JSON text the decoder made, read with
//   JSONExtract; they are flat (one level of keys), so one key is one lookup.
// - `file_marks`: each file's highest stored offset, kept by a materialized view from the rows
//   themselves, so the mark and the rows cannot disagree; ingest reads it to drop lines stored
//   already (exactly once across retries, restarts and replicas; see writer.ts).
// - `sources`: one row per container log stream, replaced on change (ReplacingMergeTree).
// - `saved_searches`: the page's saved views; a removal is a newer row marked deleted.
// - `sessions_ended` (version 2): when each user last signed out, so every replica refuses the
//   sessions that sign-out ended (server/auth/session-sync.ts); the newest row of a user counts.
// - `collectors_seen` (version 3): what each server process saw of each collector and shipper,
//   so every replica's /api/status lists those that sent to any (collector-sightings.ts); rows
//   of a collector silent for a week are dropped by TTL.
//
// With LOGPOND_CLICKHOUSE_CLUSTER the tables are created ON CLUSTER as Replicated*MergeTree:
// entries and marks per shard (`*_local`) behind Distributed tables sharded by file, so a file's
// lines and its mark live on one shard; sources and saved searches replicated to every node,
// so the IN-subqueries of a distributed read find them locally.

import { LEVELS, STREAMS } from '../../ingest/decoded-batch';

/** `Enum8('a' = 1, 'b' = 2, …)` of fixed names (the ingest side's, not user text). */
export function enumOf(names: readonly string[]): string {
  return `Enum8(${names.map((name, i) => `'${name}' = ${i + 1}`).join(', ')})`;
}

/** The newest schema this code knows. */
export const SCHEMA_VERSION = 3;

export interface SchemaTarget {
  database: string;
  cluster?: string;
}

/** Names the read and write statements use, whichever layout was created. */
export const TABLES = { entries: 'entries', marks: 'file_marks', sources: 'sources', savedSearches: 'saved_searches', sessionsEnded: 'sessions_ended', collectorsSeen: 'collectors_seen' } as const;

const quote = (name: string) => `\`${name}\``;

/** The statement that creates the migrations table, before anything is known of the database. */
export function bootstrapStatements({ database, cluster }: SchemaTarget): string[] {
  const on = cluster ? ` ON CLUSTER ${quote(cluster)}` : '';
  return [
    `CREATE DATABASE IF NOT EXISTS ${quote(database)}${on}`,
    `CREATE TABLE IF NOT EXISTS ${quote(database)}.schema_migrations${on} (version UInt32, applied_at DateTime DEFAULT now())
     ENGINE = ${engine('ReplacingMergeTree', 'schema_migrations', cluster, 'all')} ORDER BY version`,
  ];
}

/** The statements of each migration, by version (index 0 is version 1). */
export function migrations(target: SchemaTarget): string[][] {
  return [version1(target), version2(target), version3(target)];
}

function version2({ database, cluster }: SchemaTarget): string[] {
  const on = cluster ? ` ON CLUSTER ${quote(cluster)}` : '';
  return [
    `CREATE TABLE IF NOT EXISTS ${quote(database)}.${TABLES.sessionsEnded}${on} (
       user String,
       ended_at DateTime64(3, 'UTC')
     )
     ENGINE = ${engine('ReplacingMergeTree', TABLES.sessionsEnded, cluster, 'all', 'ended_at')}
     ORDER BY user`,
  ];
}

function version3({ database, cluster }: SchemaTarget): string[] {
  const on = cluster ? ` ON CLUSTER ${quote(cluster)}` : '';
  return [
    `CREATE TABLE IF NOT EXISTS ${quote(database)}.${TABLES.collectorsSeen}${on} (
       server String,
       id String,
       via LowCardinality(String),
       node String,
       version Nullable(String),
       last_seen DateTime64(3, 'UTC'),
       batches UInt64,
       entries UInt64
     )
     ENGINE = ${engine('ReplacingMergeTree', TABLES.collectorsSeen, cluster, 'all', 'last_seen')}
     ORDER BY (id, server)
     TTL toDateTime(last_seen) + INTERVAL 7 DAY`,
  ];
}

function version1({ database, cluster }: SchemaTarget): string[] {
  const db = quote(database);
  const on = cluster ? ` ON CLUSTER ${quote(cluster)}` : '';
  const local = (table: string) => (cluster ? `${table}_local` : table);
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${db}.${local(TABLES.entries)}${on} (
       ts DateTime64(6, 'UTC') CODEC(DoubleDelta, ZSTD(1)),
       source_id UInt64,
       file_id UInt64,
       offset UInt64 CODEC(Delta, ZSTD(1)),
       stream ${enumOf(STREAMS)},
       level ${enumOf(LEVELS)},
       message String CODEC(ZSTD(1)),
       fields Nullable(String) CODEC(ZSTD(1)),
       truncated Bool,
       INDEX message_ngrams lower(message) TYPE ngrambf_v1(3, 8192, 2, 0) GRANULARITY 1
     )
     ENGINE = ${engine('MergeTree', local(TABLES.entries), cluster, 'shard')}
     PARTITION BY toDate(ts)
     ORDER BY (ts, file_id, offset)
     SETTINGS index_granularity = 2048, ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000`,
    `CREATE TABLE IF NOT EXISTS ${db}.${local(TABLES.marks)}${on} (
       file_id UInt64,
       max_offset SimpleAggregateFunction(max, UInt64)
     )
     ENGINE = ${engine('AggregatingMergeTree', local(TABLES.marks), cluster, 'shard')}
     ORDER BY file_id`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.file_marks_from_entries${on} TO ${db}.${local(TABLES.marks)}
     AS SELECT file_id, max(offset) AS max_offset FROM ${db}.${local(TABLES.entries)} GROUP BY file_id`,
    `CREATE TABLE IF NOT EXISTS ${db}.${TABLES.sources}${on} (
       id UInt64,
       key String,
       node LowCardinality(String),
       namespace LowCardinality(String),
       pod String,
       pod_uid String,
       container LowCardinality(String),
       container_id String,
       labels Map(String, String),
       annotations Map(String, String),
       first_seen DateTime64(3, 'UTC'),
       last_seen DateTime64(3, 'UTC')
     )
     ENGINE = ${engine('ReplacingMergeTree', TABLES.sources, cluster, 'all', 'last_seen')}
     ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS ${db}.${TABLES.savedSearches}${on} (
       owner String,
       id String,
       name String,
       view String,
       created_at DateTime64(3, 'UTC'),
       updated_at DateTime64(3, 'UTC'),
       deleted Bool DEFAULT false
     )
     ENGINE = ${engine('ReplacingMergeTree', TABLES.savedSearches, cluster, 'all', 'updated_at')}
     ORDER BY (owner, id)`,
  ];
  if (cluster) {
    for (const table of [TABLES.entries, TABLES.marks]) {
      statements.push(
        `CREATE TABLE IF NOT EXISTS ${db}.${table}${on} AS ${db}.${local(table)}
         ENGINE = Distributed(${quote(cluster)}, ${db}, ${local(table)}, cityHash64(file_id))`,
      );
    }
  }
  return statements;
}

/**
 * The table engine: plain on one server; on a cluster replicated per shard (`shard`) or on every
 * node (`all`, a path without {shard}), with the macros each ClickHouse node defines.
 */
function engine(name: string, table: string, cluster: string | undefined, scope: 'shard' | 'all', version?: string): string {
  const args = version ? [version] : [];
  if (!cluster) return `${name}(${args.join(', ')})`;
  const path = `'/clickhouse/tables/${scope === 'shard' ? '{shard}' : 'all'}/{database}/${table}'`;
  return `Replicated${name}(${[path, `'{replica}'`, ...args].join(', ')})`;
}

/**
 * The statement that makes ClickHouse drop entries older than `retentionMs` itself, part by part
 * (null keeps all), or null when `engineFull` (system.tables) says the table does so already.
 */
export function retentionStatement({ database, cluster }: SchemaTarget, retentionMs: number | null, engineFull: string): string | null {
  const on = cluster ? ` ON CLUSTER ${quote(cluster)}` : '';
  const table = `${quote(database)}.${cluster ? `${TABLES.entries}_local` : TABLES.entries}`;
  const ttl = / TTL (.*?) SETTINGS /.exec(engineFull)?.[1] ?? null;
  if (retentionMs === null) return ttl === null ? null : `ALTER TABLE ${table}${on} REMOVE TTL`;
  const seconds = Math.max(1, Math.ceil(retentionMs / 1000));
  if (ttl !== null && ttl.includes(`toIntervalSecond(${seconds})`)) return null;
  // Not rewriting every part to apply it: parts are dropped whole once past it (ttl_only_drop_parts).
  return `ALTER TABLE ${table}${on} MODIFY TTL toDateTime(ts) + toIntervalSecond(${seconds}) SETTINGS materialize_ttl_after_modify = 0`;
}
