// Statements against Logpond's ClickHouse database: results as rows, tables by qualified name.
import { Readable } from 'node:stream';
import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import type { RawInsert } from './connect';
import { TABLES } from './schema';

/** A qualified table name chDB's raw insert takes (it refuses quoting). */
const PLAIN_NAME = /^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/;

export type Row = Record<string, unknown>;

export class Database {
  /** Qualified names of Logpond's tables, for statements to interpolate (they hold no user text). */
  readonly tables: { readonly [K in keyof typeof TABLES]: string };

  constructor(
    readonly client: ClickHouseClient,
    readonly name: string,
    /** The engine's own insert of text rows, where it has one (chDB). */
    private readonly rawInsert?: RawInsert,
  ) {
    const qualified = (table: string) => `\`${name}\`.${table}`;
    this.tables = {
      entries: qualified(TABLES.entries),
      marks: qualified(TABLES.marks),
      sources: qualified(TABLES.sources),
      savedSearches: qualified(TABLES.savedSearches),
      sessionsEnded: qualified(TABLES.sessionsEnded),
      collectorsSeen: qualified(TABLES.collectorsSeen),
    };
  }

  async rows<T = Row>(query: string, params: Record<string, unknown> = {}, signal?: AbortSignal, settings?: ClickHouseSettings): Promise<T[]> {
    const result = await this.client.query({ query, query_params: params, format: 'JSONEachRow', abort_signal: signal, clickhouse_settings: settings });
    return result.json<T>();
  }

  async command(query: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.client.command({ query, query_params: params });
  }

  /** Rows already in ClickHouse's TabSeparated text, of these columns. */
  async insertText(table: string, columns: readonly string[], text: Buffer, settings?: Record<string, string | number>): Promise<void> {
    const plain = table.replaceAll('`', '');
    if (this.rawInsert && PLAIN_NAME.test(plain)) {
      await this.rawInsert({ table: plain, columns, values: text, format: 'TabSeparated', settings });
      return;
    }
    await this.client.insert({ table, columns: [...columns] as [string, ...string[]], values: Readable.from([text], { objectMode: false }), format: 'TabSeparated', clickhouse_settings: settings });
  }

  async insert(table: string, values: readonly Row[], settings?: ClickHouseSettings): Promise<void> {
    if (values.length === 0) return;
    await this.client.insert({ table, values: values as Row[], format: 'JSONEachRow', clickhouse_settings: settings });
  }
}
