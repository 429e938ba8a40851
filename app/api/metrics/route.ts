import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const runtime = await getRuntime();
    return new Response(await runtime.metricsText(), {
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    });
  } catch (err) {
    return toErrorResponse(err);
  }
}
