import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

/** Liveness: the process answers and its store is open. */
export async function GET(): Promise<Response> {
  try {
    await getRuntime();
    return Response.json({ ok: true });
  } catch (err) {
    return toErrorResponse(err);
  }
}
