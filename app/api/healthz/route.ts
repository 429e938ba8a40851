import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

/**
 * Health: 200 `{ok: true}` while the process answers and its store is open and reachable; 503
 * `{ok: false, degraded}` while the engine cannot be reached (ClickHouse away), which ends by
 * itself when it is back; 503 with the error while the store cannot be opened at all.
 */
export async function GET(): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const degraded = await runtime.store.health();
    return degraded ? Response.json({ ok: false, degraded }, { status: 503 }) : Response.json({ ok: true });
  } catch (err) {
    return toErrorResponse(err);
  }
}
