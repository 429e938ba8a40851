// GET /api/search: a page of hits in time order with a keyset cursor: the last hit's id, so the
// next page starts strictly after it and lines ingested meanwhile neither shift nor repeat what
// was already shown. How the engine finds a page is its own (store/<engine>/).
import type { QueryNode } from '../query/ast';
import type { MicrosRange, Order, StorageView } from '../store/log-storage';
import { decodeKey, encodeKey, type Hit, type SourceInfo, toHit } from './hits';

export type { Order };

export interface SearchRequest {
  query: QueryNode;
  range: MicrosRange;
  order: Order;
  limit: number;
  /** Opaque text from a previous page's nextCursor. */
  cursor?: string | null;
}

export interface SearchPage {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
  nextCursor: string | null;
}

export async function search(view: StorageView, request: SearchRequest): Promise<SearchPage> {
  const after = request.cursor ? decodeKey(request.cursor, 'cursor') : null;
  const entries = await view.page({ query: request.query, range: request.range, order: request.order, limit: request.limit + 1, after });
  const more = entries.length > request.limit;
  const page = more ? entries.slice(0, request.limit) : entries;
  return {
    hits: page.map(toHit),
    sources: await view.sources(page.map((e) => e.sourceId)),
    nextCursor: more ? encodeKey(page[page.length - 1].key) : null,
  };
}
