import { readSavedSearchBody } from '@/server/http/saved-search-body';
import { userRoute } from '../user-route';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

export const GET = userRoute(async (runtime, user) => Response.json({ searches: await runtime.store.savedSearches.list(user) }, { headers: NO_STORE }));

export const POST = userRoute(async (runtime, user, request) => {
  const { name, view } = await readSavedSearchBody(request);
  return Response.json(await runtime.store.savedSearches.save(user, name, view), { headers: NO_STORE });
});
