import { errorAnswer, toErrorResponse } from '@/server/http/error-response';
import { streamOf } from '@/server/http/streams';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' };

export async function GET(request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const plan = await runtime.reads.export(new URL(request.url).searchParams, request.signal);
    // An error after the headers can only end the stream: NDJSON says so in a last line; a CSV,
    // which has no room for it, is broken off, so the browser marks the download failed rather
    // than keep a file that looks whole.
    const onError = (err: unknown) => {
      const { body } = errorAnswer(err);
      if (plan.format === 'ndjson') return `${JSON.stringify(body)}\n`;
      console.error(`logpond: a CSV export was broken off after its first lines: ${body.error.message}`);
      return null;
    };
    return new Response(streamOf(plan.body, onError), {
      headers: {
        'Content-Type': CONTENT_TYPES[plan.format],
        'Content-Disposition': `attachment; filename="${plan.fileName}"`,
        'Cache-Control': 'no-store',
        'X-Logpond-Total': String(plan.total),
        'X-Logpond-Lines': String(plan.lines),
        'X-Logpond-Capped': String(plan.capped),
      },
    });
  } catch (err) {
    return toErrorResponse(err);
  }
}

