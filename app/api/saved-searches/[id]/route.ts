import type { DeleteSavedSearchResponse, SavedSearch } from '@/common/saved-searches';
import { readSavedSearchBody } from '@/server/http/saved-search-body';
import { userRoute } from '../../user-route';

export const dynamic = 'force-dynamic';

export const PUT = userRoute<{ id: string }>(async (runtime, user, request, { id }) => {
  const { name, view } = await readSavedSearchBody(request);
  const body: SavedSearch = await runtime.store.savedSearches.update(user, id, name, view);
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
});

export const DELETE = userRoute<{ id: string }>(async (runtime, user, _request, { id }) => {
  await runtime.store.savedSearches.remove(user, id);
  const body: DeleteSavedSearchResponse = { deleted: id };
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
});
