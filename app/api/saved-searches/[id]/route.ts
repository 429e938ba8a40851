import { userRoute } from '../../user-route';

export const dynamic = 'force-dynamic';

export const DELETE = userRoute<{ id: string }>(async (runtime, user, _request, { id }) => {
  await runtime.store.savedSearches.remove(user, id);
  return Response.json({ deleted: id }, { headers: { 'Cache-Control': 'no-store' } });
});
