// Saved searches: a view of the page (query, range, filters, columns — whatever the page puts in
// it) under a name, per user. A few rows, written when a person clicks Save, so they live in the
// DuckDB file beside the catalog (schema.ts, `saved_searches`), not in segments.
//
// Each operation takes a connection of its own: the writer's and the maintenance connection run
// their own transactions across awaits, and a statement sent on them meanwhile would join those.
// DuckDB lets connections of one instance write different tables concurrently; the operations
// queue behind each other here (they take a millisecond), so replacing by name cannot race a
// second save of the same name, and closing waits for the last one.
import { randomUUID } from 'node:crypto';
import { type DuckDBConnection, timestampValue } from '@duckdb/node-api';
import type { SavedSearch } from '../../../common/saved-searches';
import { BadRequestError, StorageUnavailableError } from '../../errors';
import { MAX_SAVED_PER_USER, SavedSearchNotFoundError } from '../saved-search-rules';
import { SerialQueue } from '../serial-queue';
import { millisToMicros } from '../timestamps';

export type { SavedSearch } from '../../../common/saved-searches';

const COLUMNS = `id, name, view, epoch_ms(created_at) AS created, epoch_ms(updated_at) AS updated`;

export class SavedSearches {
  private readonly queue = new SerialQueue();
  private closed = false;

  constructor(
    private readonly connect: () => Promise<DuckDBConnection>,
    private readonly now: () => number,
    private readonly maxPerUser = MAX_SAVED_PER_USER,
  ) {}

  /** The owner's searches, by name (case-insensitive). */
  list(owner: string): Promise<SavedSearch[]> {
    return this.run(async (connection) => {
      const rows = await connection.runAndReadAll(
        `SELECT ${COLUMNS} FROM saved_searches WHERE owner = $owner ORDER BY lower(name), name, id`,
        { owner },
      );
      return rows.getRowObjectsJS().map(toSavedSearch);
    });
  }

  /** Saves `view` under `name`; the owner's search of the same name is replaced, keeping its id. */
  save(owner: string, name: string, view: Record<string, unknown>): Promise<SavedSearch> {
    return this.run(async (connection) => {
      const now = timestampValue(millisToMicros(this.now()));
      const text = JSON.stringify(view);
      return inTransaction(connection, async () => {
        const found = (await connection.runAndReadAll(`SELECT id FROM saved_searches WHERE owner = $owner AND name = $name`, { owner, name })).getRowObjectsJS();
        let id: string;
        if (found.length > 0) {
          id = String(found[0].id);
          await connection.run(`UPDATE saved_searches SET view = $view, updated_at = $now WHERE id = $id`, { id, view: text, now });
        } else {
          const counted = (await connection.runAndReadAll(`SELECT count(*) AS n FROM saved_searches WHERE owner = $owner`, { owner })).getRowObjectsJS();
          if (Number(counted[0].n) >= this.maxPerUser) {
            throw new BadRequestError(`at most ${this.maxPerUser} saved searches per user; delete some first`, 'too_many_saved_searches');
          }
          id = randomUUID();
          await connection.run(`INSERT INTO saved_searches (id, owner, name, view, created_at, updated_at) VALUES ($id, $owner, $name, $view, $now, $now)`, { id, owner, name, view: text, now });
        }
        return savedById(connection, id);
      });
    });
  }

  /** Writes `name` and `view` into the owner's search `id`, replacing their other search of that name. */
  update(owner: string, id: string, name: string, view: Record<string, unknown>): Promise<SavedSearch> {
    return this.run(async (connection) => {
      const now = timestampValue(millisToMicros(this.now()));
      return inTransaction(connection, async () => {
        // The other search of that name goes first (an unknown id rolls it back): a name is the
        // owner's once.
        await connection.run(`DELETE FROM saved_searches WHERE owner = $owner AND name = $name AND id <> $id`, { owner, name, id });
        const updated = await connection.runAndReadAll(
          `UPDATE saved_searches SET name = $name, view = $view, updated_at = $now WHERE owner = $owner AND id = $id RETURNING id`,
          { owner, id, name, view: JSON.stringify(view), now },
        );
        if (updated.getRowObjectsJS().length === 0) throw new SavedSearchNotFoundError();
        return savedById(connection, id);
      });
    });
  }

  /** Deletes the owner's search `id`; another owner's id is as unknown as a made-up one. */
  remove(owner: string, id: string): Promise<void> {
    return this.run(async (connection) => {
      const deleted = await connection.runAndReadAll(`DELETE FROM saved_searches WHERE owner = $owner AND id = $id RETURNING id`, { owner, id });
      if (deleted.getRowObjectsJS().length === 0) throw new SavedSearchNotFoundError();
    });
  }

  /** Refuses new work and waits for what is queued, before the store closes the database. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.run(async () => undefined);
  }

  private run<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageUnavailableError('the store is shutting down'));
    return this.queue.run(async () => {
      const connection = await this.connect();
      try {
        return await work(connection);
      } finally {
        connection.closeSync();
      }
    });
  }
}

/** `work` in one transaction on `connection`: all of it, or nothing if it throws. */
async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('BEGIN TRANSACTION');
  try {
    const result = await work();
    await connection.run('COMMIT');
    return result;
  } catch (err) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function savedById(connection: DuckDBConnection, id: string): Promise<SavedSearch> {
  return toSavedSearch((await connection.runAndReadAll(`SELECT ${COLUMNS} FROM saved_searches WHERE id = $id`, { id })).getRowObjectsJS()[0]);
}

function toSavedSearch(row: Record<string, unknown>): SavedSearch {
  return {
    id: String(row.id),
    name: String(row.name),
    view: JSON.parse(String(row.view)) as Record<string, unknown>,
    createdAt: new Date(Number(row.created)).toISOString(),
    updatedAt: new Date(Number(row.updated)).toISOString(),
  };
}
