// Brings the database to SCHEMA_VERSION at start (schema.ts): the migrations it lacks, in order,
// each recorded once all its statements ran. Every statement is idempotent, so servers starting
// together, or one killed half-way, apply the rest next time without harm.
import { ConfigError } from '../../errors';
import type { Database } from './database';
import { bootstrapStatements, migrations, retentionStatement, SCHEMA_VERSION, type SchemaTarget, TABLES } from './schema';

export async function migrate(db: Database, target: SchemaTarget, retentionMs: number | null): Promise<number> {
  for (const statement of bootstrapStatements(target)) await db.command(statement);
  const [row] = await db.rows<{ version: number | string }>(`SELECT max(version) AS version FROM \`${target.database}\`.schema_migrations`);
  const current = Number(row?.version ?? 0);
  if (current > SCHEMA_VERSION) {
    throw new ConfigError(
      'LOGPOND_CLICKHOUSE_URL',
      `database ${target.database} has schema version ${current}, newer than this Logpond knows (${SCHEMA_VERSION}); run a Logpond at least as new as the one that migrated it`,
    );
  }
  const all = migrations(target);
  for (let version = current + 1; version <= SCHEMA_VERSION; version++) {
    for (const statement of all[version - 1]) await db.command(statement);
    await db.insert(`\`${target.database}\`.schema_migrations`, [{ version }]);
  }
  // Not a migration: it follows LOGPOND_RETENTION, which may change from one start to the next.
  const [table] = await db.rows<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}`, {
    db: target.database,
    table: target.cluster ? `${TABLES.entries}_local` : TABLES.entries,
  });
  const retention = retentionStatement(target, retentionMs, table?.engine_full ?? '');
  if (retention) await db.command(retention);
  return current;
}
