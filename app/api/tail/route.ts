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
/** How often an open stream asks whether its session still holds, lines or not. */
const SESSION_CHECK_MS = 1_000;

export async function GET(request: NextRequest): Promise<Response> {
  try {
    const runtime = await getRuntime();
    // Ended by the client leaving, or here: the tail stops reading the store either way (Next
    // does not abort the request's signal once the response is complete).
    const tailing = new AbortController();
    const stop = () => tailing.abort();
    request.signal.addEventListener('abort', stop, { once: true });
    // EventSource reconnects by itself, sending the id of the last event it got: the stream
    // picks up after it (server/read/tail.ts).
    const resumeAfter = request.headers.get('last-event-id')?.trim() || undefined;
    const events = runtime.reads.tail(new URL(request.url).searchParams, tailing.signal, resumeAfter);
    // The gate let the stream open; the session it opened with may end while it runs (a sign-out
    // here or on another replica, or its 12 hours passing), and nothing may be sent after that.
    const config = authConfig();
    const gate = gateRequestOf(request);
    const allowed = () => requestUser(config, gate, Date.now()) !== undefined;
    const lines = sse(events, tailing.signal, allowed, () => {
      request.signal.removeEventListener('abort', stop);
      stop();
    });
    return new Response(streamOf(lines, (err) => sseEvent('error', errorAnswer(err).body.error)), {
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

async function* sse(events: AsyncGenerator<TailEvent>, signal: AbortSignal, allowed: () => boolean, end: () => void): AsyncGenerator<string> {
  yield `retry: 3000\n: tailing\n\n`;
  let next = events.next();
  let wrote = Date.now();
  try {
    while (!signal.aborted) {
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<'tick'>((resolve) => (timer = setTimeout(() => resolve('tick'), SESSION_CHECK_MS)));
      const result = await Promise.race([next, tick]);
      clearTimeout(timer);
      if (!allowed()) throw new UnauthorizedError('the session ended (signed out, or expired): sign in again');
      if (result === 'tick') {
        if (Date.now() - wrote >= KEEPALIVE_MS) {
          yield `: keepalive\n\n`;
          wrote = Date.now();
        }
        continue;
      }
      if (result.done) return;
      const event = result.value;
      yield 'skipped' in event ? sseEvent('skipped', event.skipped) : sseEvent('hits', { hits: event.hits, sources: event.sources }, event.cursor);
      wrote = Date.now();
      next = events.next();
    }
  } finally {
    // The tail's own loop ends on the abort: the read it waits on is cancelled (that rejection is
    // nobody's to answer now), or its pause cut short; then it returns.
    next.catch(() => undefined);
    end();
    void events.return(undefined).catch(() => undefined);
  }
}
