import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

export async function GET(): Promise<Response> {
  try {
    const runtime = await getRuntime();
    return Response.json(await runtime.status());
  } catch (err) {
    return toErrorResponse(err);
  }
}
