import { getRuntime } from '../api/runtime';

export const dynamic = 'force-dynamic';

/** Loki's readiness check, which Vector's `loki` sink calls: ready once the store is open. */
export async function GET(): Promise<Response> {
  try {
    await getRuntime();
    return new Response('ready\n', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
  } catch {
    return new Response('not ready\n', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '5' } });
  }
}
