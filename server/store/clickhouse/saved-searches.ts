// Saved searches on ClickHouse (schema.ts, `saved_searches`): a save or a removal is a new row of
// the search, the newest of which counts (ReplacingMergeTree, read FINAL). Operations of one
// server queue behind each other, so replacing by name cannot race this server's second save.
import { randomUUID } from 'node:crypto';
import type { SavedSearch } from '../../../common/saved-searches';
import { BadRequestError } from '../../errors';
import type { SavedSearchStore } from '../log-storage';
import { MAX_SAVED_PER_USER, SavedSearchNotFoundError } from '../saved-search-rules';
import { SerialQueue } from '../serial-queue';
import type { Database } from './database';
import { dateTime64 } from './writer';

interface SavedRow {
  id: string;
  name: string;
  view: string;
  created: string;
  updated: string;
}

export class ClickHouseSavedSearches implements SavedSearchStore {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly db: Database,
    private readonly now: () => number,
    private readonly maxPerUser = MAX_SAVED_PER_USER,
  ) {}

  list(owner: string): Promise<SavedSearch[]> {
    return this.queue.run(async () => (await this.current(owner)).map(toSavedSearch));
  }

  save(owner: string, name: string, view: Record<string, unknown>): Promise<SavedSearch> {
    return this.queue.run(async () => {
      const mine = await this.current(owner);
      const found = mine.find((s) => s.name === name);
      if (!found && mine.length >= this.maxPerUser) {
        throw new BadRequestError(`at most ${this.maxPerUser} saved searches per user; delete some first`, 'too_many_saved_searches');
      }
      const now = this.now();
      const row: SavedRow = { id: found?.id ?? randomUUID(), name, view: JSON.stringify(view), created: found?.created ?? String(now), updated: String(now) };
      await this.write(owner, row, false);
      return toSavedSearch(row);
    });
  }

  update(owner: string, id: string, name: string, view: Record<string, unknown>): Promise<SavedSearch> {
    return this.queue.run(async () => {
      const mine = await this.current(owner);
      const found = mine.find((s) => s.id === id);
      if (!found) throw new SavedSearchNotFoundError();
      const now = this.now();
      for (const other of mine.filter((s) => s.name === name && s.id !== id)) {
        await this.write(owner, { ...other, updated: String(Math.max(now, Number(other.updated) + 1)) }, true);
      }
      const row: SavedRow = { ...found, name, view: JSON.stringify(view), updated: String(Math.max(now, Number(found.updated) + 1)) };
      await this.write(owner, row, false);
      return toSavedSearch(row);
    });
  }

  remove(owner: string, id: string): Promise<void> {
    return this.queue.run(async () => {
      const found = (await this.current(owner)).find((s) => s.id === id);
      if (!found) throw new SavedSearchNotFoundError();
      await this.write(owner, { ...found, updated: String(Math.max(this.now(), Number(found.updated) + 1)) }, true);
    });
  }

  private current(owner: string): Promise<SavedRow[]> {
    return this.db.rows<SavedRow>(
      `SELECT id, name, view, toString(toUnixTimestamp64Milli(created_at)) AS created, toString(toUnixTimestamp64Milli(updated_at)) AS updated
       FROM ${this.db.tables.savedSearches} FINAL WHERE owner = {owner:String} AND NOT deleted ORDER BY lower(name), name, id`,
      { owner },
    );
  }

  private write(owner: string, row: SavedRow, deleted: boolean): Promise<void> {
    return this.db.insert(this.db.tables.savedSearches, [
      { owner, id: row.id, name: row.name, view: row.view, created_at: dateTime64(Number(row.created) * 1000), updated_at: dateTime64(Number(row.updated) * 1000), deleted },
    ]);
  }
}

function toSavedSearch(row: SavedRow): SavedSearch {
  return {
    id: row.id,
    name: row.name,
    view: JSON.parse(row.view) as Record<string, unknown>,
    createdAt: new Date(Number(row.created)).toISOString(),
    updatedAt: new Date(Number(row.updated)).toISOString(),
  };
}
