import 'server-only';
import { toErrorResponse } from '@/server/http/error-response';
import type { ReadApi } from '@/server/read/read-api';
import { getRuntime } from './runtime';

type JsonRead = (reads: ReadApi, params: URLSearchParams, signal: AbortSignal) => Promise<unknown>;

/** A GET handler answering JSON from one read of the ReadApi; the client's abort cancels the query. */
export function jsonReadRoute(read: JsonRead) {
  return async function GET(request: Request): Promise<Response> {
    try {
      const runtime = await getRuntime();
      const body = await read(runtime.reads, new URL(request.url).searchParams, request.signal);
      return Response.json(body, { headers: { 'Cache-Control': 'no-store' } });
    } catch (err) {
      return toErrorResponse(err);
    }
  };
}
