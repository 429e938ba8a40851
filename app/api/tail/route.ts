import { errorAnswer, toErrorResponse } from '@/server/http/error-response';
import { sseEvent, streamOf } from '@/server/http/streams';
import type { TailEvent } from '@/server/read/tail';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export async function GET(request: Request): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const events = runtime.reads.tail(new URL(request.url).searchParams, request.signal);
    return new Response(streamOf(sse(events, request.signal), (err) => sseEvent('error', errorAnswer(err).body.error)), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      },
    });
  } catch (err) {
    return toErrorResponse(err);
  }
}

async function* sse(events: AsyncGenerator<TailEvent>, signal: AbortSignal): AsyncGenerator<string> {
  yield `retry: 3000\n: tailing\n\n`;
  let next = events.next();
  while (!signal.aborted) {
    let timer: NodeJS.Timeout | undefined;
    const keepalive = new Promise<'keepalive'>((resolve) => (timer = setTimeout(() => resolve('keepalive'), KEEPALIVE_MS)));
    const result = await Promise.race([next, keepalive]);
    clearTimeout(timer);
    if (result === 'keepalive') {
      yield `: keepalive\n\n`;
      continue;
    }
    if (result.done) return;
    yield sseEvent('hits', result.value);
    next = events.next();
  }
}
