import { otlpFailure, otlpFormatOf, otlpSuccess } from '@/server/http/protocol-answers';
import { getRuntime } from '../../api/runtime';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP logs (protobuf or JSON), as the OpenTelemetry Collector and SDKs send them. */
export async function POST(request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    await runtime.ingestProtocol(request, 'otlp', otlpFormatOf);
    return otlpSuccess(request.headers);
  } catch (err) {
    return otlpFailure(err, request.headers);
  }
}
