// What every engine's saved searches (log-storage.ts, SavedSearchStore) enforce alike.
import { LogpondError } from '../errors';

/** Enough for any person's list; a script saving in a loop must not grow the store without end. */
export const MAX_SAVED_PER_USER = 1_000;

export class SavedSearchNotFoundError extends LogpondError {
  constructor() {
    super(404, 'not_found', 'no saved search with that id');
  }
}
