import { toErrorResponse } from '@/server/http/error-response';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

export async function POST(request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    return Response.json(await runtime.ingest(request));
  } catch (err) {
    return toErrorResponse(err);
  }
}
