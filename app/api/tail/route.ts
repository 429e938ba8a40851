import type { NextRequest } from 'next/server';
import { authConfig } from '@/server/auth/auth-config';
import { gateRequestOf, requestUser } from '@/server/auth/gate';
import { UnauthorizedError } from '@/server/errors';
import { errorAnswer, toErrorResponse } from '@/server/http/error-response';
import { sseEvent, streamOf } from '@/server/http/streams';
import type { TailEvent } from '@/server/read/tail';
import { getRuntime } from '../runtime';

export const dynamic = 'force-dynamic';

/** A comment line keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const runtime = await getRuntime();
    const events = runtime.reads.tail(new URL(request.url).searchParams, request.signal);
    // The gate let the stream open; the session it opened with may end while it runs (a sign-out
    // here or on another replica, or its 12 hours passing), and nothing may be sent after that.
    const config = authConfig();
    const gate = gateRequestOf(request);
    const allowed = () => requestUser(config, gate, Date.now()) !== undefined;
    return new Response(streamOf(sse(events, request.signal, allowed), (err) => sseEvent('error', errorAnswer(err).body.error)), {
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

async function* sse(events: AsyncGenerator<TailEvent>, signal: AbortSignal, allowed: () => boolean): AsyncGenerator<string> {
  yield `retry: 3000\n: tailing\n\n`;
  let next = events.next();
  try {
    while (!signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const keepalive = new Promise<'keepalive'>((resolve) => (timer = setTimeout(() => resolve('keepalive'), KEEPALIVE_MS)));
      const result = await Promise.race([next, keepalive]);
      clearTimeout(timer);
      if (!allowed()) throw new UnauthorizedError('the session ended (signed out, or expired): sign in again');
      if (result === 'keepalive') {
        yield `: keepalive\n\n`;
        continue;
      }
      if (result.done) return;
      yield sseEvent('hits', result.value);
      next = events.next();
    }
  } finally {
    // Ended here rather than by the client leaving: the tail stops polling and leaves the count.
    void events.return(undefined);
  }
}
