// The JSON shapes of /api/saved-searches (README, "Saved searches"): the server builds them, the
// page reads them. Types only, so the browser bundle pulls in nothing of the server.

export interface SavedSearch {
  /** Opaque; `DELETE /api/saved-searches/<id>` takes it. */
  id: string;
  name: string;
  /** The object the page posted, as it posted it. */
  view: Record<string, unknown>;
  /** ISO 8601, UTC, milliseconds. */
  createdAt: string;
  updatedAt: string;
}

/** GET /api/saved-searches */
export interface SavedSearchesResponse {
  searches: SavedSearch[];
}

/** The body of POST /api/saved-searches, which answers the SavedSearch it stored. */
export interface SaveSearchRequest {
  /** 1–100 characters once trimmed; the user's search of the same name is replaced. */
  name: string;
  /** A JSON object of at most 16 KiB. */
  view: Record<string, unknown>;
}

/** DELETE /api/saved-searches/<id> */
export interface DeleteSavedSearchResponse {
  deleted: string;
}
