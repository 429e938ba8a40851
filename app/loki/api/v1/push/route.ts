import { lokiFailure, lokiFormatOf, lokiSuccess } from '@/server/http/protocol-answers';
import { getRuntime } from '../../../../api/runtime';

export const dynamic = 'force-dynamic';

/** Loki's push API (protobuf + snappy, or JSON), as Alloy, Promtail, Vector and Fluent Bit send it. */
export async function POST(request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    await runtime.ingestProtocol(request, 'loki', lokiFormatOf);
    return lokiSuccess();
  } catch (err) {
    return lokiFailure(err);
  }
}
