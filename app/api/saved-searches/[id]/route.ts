import type { DeleteSavedSearchResponse } from '@/common/saved-searches';
import { userRoute } from '../../user-route';

export const dynamic = 'force-dynamic';

export const DELETE = userRoute<{ id: string }>(async (runtime, user, _request, { id }) => {
  await runtime.store.savedSearches.remove(user, id);
  const body: DeleteSavedSearchResponse = { deleted: id };
  return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
});
