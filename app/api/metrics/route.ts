import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const { body, contentType } = await runtime.metricsText();
    return new Response(body, { headers: { 'content-type': contentType } });
  } catch (err) {
    return toErrorResponse(err);
  }
}
