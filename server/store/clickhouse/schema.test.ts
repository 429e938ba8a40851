import { describe, expect, it } from 'vitest';
import { bootstrapStatements, migrations, retentionStatement, SCHEMA_VERSION } from './schema';

const flat = (statements: string[]) => statements.map((s) => s.replace(/\s+/g, ' ').trim());

describe('the ClickHouse schema', () => {
  it('on one server: plain MergeTree tables, entries sorted as pages read them, marks kept from the rows', () => {
    const [v1] = migrations({ database: 'logs' }).map(flat);
    expect(migrations({ database: 'logs' })).toHaveLength(SCHEMA_VERSION);
    const entries = v1.find((s) => s.includes('`logs`.entries ('))!;
    expect(entries).toContain('ENGINE = MergeTree() PARTITION BY toDate(ts) ORDER BY (ts, file_id, offset)');
    expect(entries).toContain("ts DateTime64(6, 'UTC')");
    expect(entries).toContain("level Enum8('trace' = 1, 'debug' = 2, 'info' = 3, 'warn' = 4, 'error' = 5, 'fatal' = 6, 'unknown' = 7)");
    expect(entries).toContain('INDEX message_ngrams lower(message) TYPE ngrambf_v1');
    expect(entries).toContain('ttl_only_drop_parts = 1, non_replicated_deduplication_window');
    expect(v1.find((s) => s.includes('MATERIALIZED VIEW'))).toBe(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS `logs`.file_marks_from_entries TO `logs`.file_marks AS SELECT file_id, max(offset) AS max_offset FROM `logs`.entries GROUP BY file_id',
    );
    expect(v1.find((s) => s.includes('`logs`.sources ('))).toContain('ENGINE = ReplacingMergeTree(last_seen) ORDER BY id');
    expect(v1.some((s) => /ON CLUSTER|Replicated|Distributed/.test(s))).toBe(false);
    expect(v1.every((s) => s.startsWith('CREATE ') && s.includes('IF NOT EXISTS'))).toBe(true);
  });

  it('on a cluster: every statement ON CLUSTER, entries and marks replicated per shard behind Distributed tables, sources on every node', () => {
    const [v1] = migrations({ database: 'logs', cluster: 'prod' }).map(flat);
    expect(v1.every((s) => s.includes(' ON CLUSTER `prod`'))).toBe(true);
    expect(v1.find((s) => s.includes('`logs`.entries_local ON CLUSTER'))).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/entries_local', '{replica}') PARTITION BY toDate(ts)",
    );
    expect(v1.find((s) => s.includes('`logs`.sources ON CLUSTER'))).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/sources', '{replica}', last_seen)",
    );
    expect(v1.find((s) => s.includes('MATERIALIZED VIEW'))).toContain('TO `logs`.file_marks_local AS SELECT file_id, max(offset) AS max_offset FROM `logs`.entries_local');
    expect(v1.filter((s) => s.includes('ENGINE = Distributed'))).toEqual([
      'CREATE TABLE IF NOT EXISTS `logs`.entries ON CLUSTER `prod` AS `logs`.entries_local ENGINE = Distributed(`prod`, `logs`, entries_local, cityHash64(file_id))',
      'CREATE TABLE IF NOT EXISTS `logs`.file_marks ON CLUSTER `prod` AS `logs`.file_marks_local ENGINE = Distributed(`prod`, `logs`, file_marks_local, cityHash64(file_id))',
    ]);
    expect(flat(bootstrapStatements({ database: 'logs', cluster: 'prod' }))[0]).toBe('CREATE DATABASE IF NOT EXISTS `logs` ON CLUSTER `prod`');
  });

  it('version 2 keeps sign-outs, one row a user, newest first; on a cluster on every node', () => {
    const [, v2] = migrations({ database: 'logs' }).map(flat);
    expect(v2).toEqual([
      "CREATE TABLE IF NOT EXISTS `logs`.sessions_ended ( user String, ended_at DateTime64(3, 'UTC') ) ENGINE = ReplacingMergeTree(ended_at) ORDER BY user",
    ]);
    const [, onCluster] = migrations({ database: 'logs', cluster: 'prod' }).map(flat);
    expect(onCluster[0]).toContain(
      "sessions_ended ON CLUSTER `prod` ( user String, ended_at DateTime64(3, 'UTC') ) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/sessions_ended', '{replica}', ended_at)",
    );
  });

  it('version 3 keeps each server’s sightings of each collector, a week after the last', () => {
    const [, , v3] = migrations({ database: 'logs' }).map(flat);
    expect(v3).toHaveLength(1);
    expect(v3[0]).toContain('`logs`.collectors_seen (');
    expect(v3[0]).toContain('ENGINE = ReplacingMergeTree(last_seen) ORDER BY (id, server) TTL toDateTime(last_seen) + INTERVAL 7 DAY');
    const [, , onCluster] = migrations({ database: 'logs', cluster: 'prod' }).map(flat);
    expect(onCluster[0]).toContain("ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/collectors_seen', '{replica}', last_seen)");
  });

  it('sets retention as a TTL only when it differs from the table’s, and removes it when retention is off', () => {
    const target = { database: 'logs' };
    const week = 7 * 86_400_000;
    expect(retentionStatement(target, week, 'MergeTree PARTITION BY toDate(ts) ORDER BY (ts) SETTINGS x = 1')).toBe(
      'ALTER TABLE `logs`.entries MODIFY TTL toDateTime(ts) + toIntervalSecond(604800) SETTINGS materialize_ttl_after_modify = 0',
    );
    expect(retentionStatement(target, week, 'MergeTree ORDER BY (ts) TTL toDateTime(ts) + toIntervalSecond(604800) SETTINGS x = 1')).toBeNull();
    expect(retentionStatement(target, null, 'MergeTree ORDER BY (ts) TTL toDateTime(ts) + toIntervalSecond(604800) SETTINGS x = 1')).toBe('ALTER TABLE `logs`.entries REMOVE TTL');
    expect(retentionStatement(target, null, 'MergeTree ORDER BY (ts) SETTINGS x = 1')).toBeNull();
    expect(retentionStatement({ database: 'logs', cluster: 'prod' }, week, '')).toContain('ALTER TABLE `logs`.entries_local ON CLUSTER `prod` MODIFY TTL');
  });
});
