import type { SavedSearch, SavedSearchesResponse } from '@/common/saved-searches';
import { readSavedSearchBody } from '@/server/http/saved-search-body';
import { userRoute } from '../user-route';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const GET = userRoute(async (runtime, user) => {
  const body: SavedSearchesResponse = { searches: await runtime.store.savedSearches.list(user) };
  return Response.json(body, { headers: NO_STORE });
});

export const POST = userRoute(async (runtime, user, request) => {
  const { name, view } = await readSavedSearchBody(request);
  const body: SavedSearch = await runtime.store.savedSearches.save(user, name, view);
  return Response.json(body, { headers: NO_STORE });
});
