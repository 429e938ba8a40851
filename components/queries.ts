// Every request the page makes goes through here: queryOptions objects shared by hooks, and one
// fetch helper that turns the server's `{error: {code, message, position}}` into a thrown ApiError,
// so an HTTP 400 is never mistaken for data.
import { queryOptions } from '@tanstack/react-query';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly position?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; position?: number } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `the server answered ${response.status}`,
      error?.position,
    );
  }
  return body as T;
}

export interface StatusResponse {
  entries: number;
  sources: number;
  oldest: string | null;
  newest: string | null;
  diskBytes: number;
  collectors: { id: string; node: string; version: string | null; lastSeen: string; batches: number; entries: number }[];
}

export const statusOptions = () =>
  queryOptions({
    queryKey: ['status'],
    queryFn: ({ signal }) => fetchJson<StatusResponse>('/api/status', { signal }),
    refetchInterval: 2_000,
  });
