// Every request the page makes goes through here: queryOptions objects shared by hooks, and one
// fetch helper that turns the server's `{error: {code, message, position}}` into a thrown ApiError,
// so an HTTP 400 is never mistaken for data.
import { type InfiniteData, infiniteQueryOptions, keepPreviousData, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { AccountResponse } from '@/common/account';
import type { DeleteSavedSearchResponse, SavedSearch, SavedSearchesResponse, SaveSearchRequest } from '@/common/saved-searches';
import type { ContextResponse, FieldStatsResponse, FieldsResponse, HistogramResponse, Hit, PatternsResponse, SearchResponse, SourceInfo, StatusResponse, SuggestResponse } from '@/common/read-api';
import { readStored, writeStored } from './browser-storage';

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

/** The code of an error answered by something in front of Logpond (a proxy), not by Logpond. */
export const NOT_LOGPOND = 'not_logpond';

/**
 * A refusal of what was asked, by Logpond: a bad query or range, which asking again will not mend.
 * Not a proxy's refusal in front of it (a sign-in that ended), nor a failure of the server.
 */
export function isRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 400 && error.status < 500 && error.code !== NOT_LOGPOND;
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const headers = new Headers(init?.headers);
  // A sign-in proxy (oauth2-proxy) answers a request that asks for JSON with a 401, and any other
  // with its sign-in page; a redirect of a read is not followed, which would fail across origins.
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  if (response.type === 'opaqueredirect') {
    signInAgainThroughProxy();
    throw new ApiError(0, NOT_LOGPOND, 'a proxy in front of Logpond sent the request elsewhere, as to sign in again: reload the page');
  }
  const body: unknown = await response.json().catch(() => null);
  const error = (body as { error?: { code?: string; message?: string; position?: number } } | null)?.error;
  if (response.status === 401) {
    if (error?.message) signInAgain();
    else signInAgainThroughProxy();
  }
  if (!response.ok) {
    if (!error?.message) {
      const auth = response.status === 401 || response.status === 403;
      throw new ApiError(
        response.status,
        NOT_LOGPOND,
        auth ? `a proxy in front of Logpond answered ${response.status}: your sign-in may have ended; reload the page` : `the server answered ${response.status}`,
      );
    }
    throw new ApiError(response.status, error.code ?? 'http_error', error.message, error.position);
  }
  return body as T;
}

/**
 * The session ended while the page was open (signed out in another tab, expired): the login form,
 * coming back to this same view afterwards, rather than an error in every panel.
 */
function signInAgain(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/login') return;
  window.location.assign(`/login?next=${encodeURIComponent(`${window.location.pathname}${window.location.search}`)}`);
}

/** When the page last went to sign in again through a proxy. */
const PROXY_SIGN_IN_KEY = 'logpond.proxySignInAt';
const PROXY_SIGN_IN_EVERY_MS = 60_000;

/**
 * A sign-in proxy in front turned a read away: the page is loaded again through /login, a load the
 * proxy turns into its own sign-in. A proxy that lets the page through and still turns reads away
 * would send it round for ever, so it goes at most once a minute; the error says the rest.
 */
function signInAgainThroughProxy(): void {
  if (typeof window === 'undefined') return;
  if (Date.now() - Number(readStored(PROXY_SIGN_IN_KEY)) < PROXY_SIGN_IN_EVERY_MS) return;
  writeStored(PROXY_SIGN_IN_KEY, String(Date.now()));
  signInAgain();
}

/** What a tail stream tells its listener. */
export interface TailListener {
  open(): void;
  /** The connection dropped; the browser reconnects by itself. */
  error(): void;
  /** The server ended the stream with an error (a read that failed); the browser reconnects. */
  failed(message: string): void;
  /** The server refused the stream (not a 200): the browser does not try again. */
  closed(): void;
  hits(event: { hits: Hit[]; sources: Record<string, SourceInfo> }): void;
  /**
   * The stream came back after a break too long to send all it missed: lines stamped from `from`
   * to `to` are not sent (the browser sends the last event's id on reconnecting; server/read/tail.ts).
   */
  skipped(gap: { from: string; to: string }): void;
}

/** Opens GET /api/tail (Server-Sent Events) for `query`; returns what closes it. */
export function openTail(query: string, listener: TailListener): () => void {
  const source = new EventSource(`/api/tail?${new URLSearchParams({ q: query })}`);
  source.addEventListener('open', () => listener.open());
  source.addEventListener('error', (event) => {
    // The server's own `event: error` carries what failed; the browser's has no data.
    const data = (event as MessageEvent<unknown>).data;
    if (typeof data === 'string' && data !== '') {
      listener.failed(messageOf(data));
      return;
    }
    if (source.readyState === EventSource.CLOSED) listener.closed();
    else listener.error();
  });
  source.addEventListener('hits', (event) => listener.hits(JSON.parse((event as MessageEvent<string>).data)));
  source.addEventListener('skipped', (event) => listener.skipped(JSON.parse((event as MessageEvent<string>).data)));
  return () => source.close();
}

function messageOf(data: string): string {
  try {
    const { message } = JSON.parse(data) as { message?: unknown };
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: said as it is
  }
  return data.slice(0, 200);
}

export const statusOptions = () =>
  queryOptions({
    queryKey: ['status'],
    queryFn: ({ signal }) => fetchJson<StatusResponse>('/api/status', { signal }),
    refetchInterval: 2_000,
  });

/** Who the page is shown to: it does not change while the page is open (signing out leaves it). */
export const accountOptions = () =>
  queryOptions({
    queryKey: ['account'],
    queryFn: ({ signal }) => fetchJson<AccountResponse>('/api/auth/account', { signal }),
    staleTime: Infinity,
  });

/** Hits kept in the table at most: the page's memory stays bounded however far one scrolls or tails. */
export const MAX_ROWS = 20_000;
const PAGE_SIZE = 200;

/** A 4xx (a bad query, a bad range) will not get better by asking again; a 5xx may. */
function retryServerErrorsOnce(count: number, error: Error): boolean {
  return !isRefusal(error) && count < 1;
}

/** As retryServerErrorsOnce, but not a count that ran out of time: it would again, doubling the wait. */
function retryUnlessTimedOut(count: number, error: Error): boolean {
  return !(error instanceof ApiError && error.code === 'query_timeout') && retryServerErrorsOnce(count, error);
}

/**
 * Whether a snapshot's query may be fetched: not once the server refused it. A search is
 * prefetched on Enter and a refusal can arrive before the page renders the new view; the hooks
 * that then take up the key would otherwise ask again for what has no data.
 */
export function askable(query: { state: { error: unknown } }): boolean {
  return !isRefusal(query.state.error);
}

/**
 * A search key holds fixed instants (the page resolves `now` once per search), so its answer is
 * a snapshot: going back to it (the last good result beside a syntax error) asks nothing again.
 * A refresh makes a new key.
 */
const SNAPSHOT = Infinity;

export interface SearchKey {
  q: string;
  fromMs: number;
  toMs: number;
}

function params(key: SearchKey, extra: Record<string, string> = {}): string {
  return new URLSearchParams({ q: key.q, from: String(key.fromMs), to: String(key.toMs), ...extra }).toString();
}

/** Pages of hits in time order (newest first unless `order` is asc), chained by the server's keyset cursor. */
export const searchOptions = (key: SearchKey, order: 'desc' | 'asc' = 'desc') =>
  infiniteQueryOptions({
    queryKey: ['search', key, order],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<SearchResponse>(`/api/search?${params(key, { limit: String(PAGE_SIZE), order, ...(pageParam ? { cursor: pageParam } : {}) })}`, { signal }),
    initialPageParam: '',
    getNextPageParam: (last, pages) => (last.nextCursor && pages.length * PAGE_SIZE < MAX_ROWS ? last.nextCursor : undefined),
    retry: retryUnlessTimedOut,
    staleTime: SNAPSHOT,
    enabled: askable,
  });

/** What a histogram is drawn with besides the search: the field its bars split by, and its interval (null: Auto). */
export interface HistogramShape {
  split: string | null;
  intervalMs: number | null;
  /** The IANA zone the reader reads times in: bars start at its whole hours and midnights. */
  zone: string;
}

export const histogramOptions = (key: SearchKey, { split, intervalMs, zone }: HistogramShape) =>
  queryOptions({
    queryKey: ['histogram', key, split, intervalMs, zone],
    queryFn: ({ signal }) =>
      fetchJson<HistogramResponse>(`/api/histogram?${params(key, { buckets: '60', tz: zone, ...(split ? { split } : {}), ...(intervalMs ? { interval: String(intervalMs) } : {}) })}`, { signal }),
    retry: retryUnlessTimedOut,
    staleTime: SNAPSHOT,
    enabled: askable,
  });

/** Patterns shown at first; "Show more" asks for MORE_PATTERNS. */
export const FIRST_PATTERNS = 30;
export const MORE_PATTERNS = 100;

/** The patterns of a search, bucketed as its histogram is (60 buckets), so their sparklines line up with it. */
export const patternsOptions = (key: SearchKey, zone: string, limit = FIRST_PATTERNS) =>
  queryOptions({
    queryKey: ['patterns', key, zone, limit],
    queryFn: ({ signal }) => fetchJson<PatternsResponse>(`/api/patterns?${params(key, { buckets: '60', tz: zone, limit: String(limit) })}`, { signal }),
    retry: retryUnlessTimedOut,
    staleTime: SNAPSHOT,
    enabled: askable,
  });

export const suggestOptions = (q: string, pos: number, range: { fromMs: number; toMs: number }) =>
  queryOptions({
    queryKey: ['suggest', q, pos, range.fromMs, range.toMs],
    queryFn: ({ signal }) => fetchJson<SuggestResponse>(`/api/suggest?${params({ q, ...range }, { pos: String(pos) })}`, { signal }),
    staleTime: 10_000,
    retry: false,
    // The list stays while the next one loads (no flicker per key); the search bar knows it is stale.
    placeholderData: keepPreviousData,
  });

export const fieldsOptions = (key: SearchKey) =>
  queryOptions({
    queryKey: ['fields', key],
    queryFn: ({ signal }) => fetchJson<FieldsResponse>(`/api/fields?${params(key)}`, { signal }),
    retry: retryUnlessTimedOut,
    staleTime: SNAPSHOT,
    enabled: askable,
  });

/**
 * Starts a search's page, and its histogram unless the page counts over a range of its own (live
 * tail). The page's hooks ask for the same keys once React has rendered the new view, and find
 * them in flight. The field list is not among them: it is read once the page is in, as the rows
 * come first and on two cores a third read beside them slows both.
 */
/** The kinds of query a search key answers (the table, the count, the fields, the patterns). */
const SEARCHED = new Set(['search', 'histogram', 'patterns', 'fields', 'field-stats']);

/**
 * The same search again over the same fixed range (a shared link, a zoom): its answers are
 * snapshots (SNAPSHOT), so they are asked again, for lines that arrived late in the range.
 */
export function searchAgain(client: QueryClient, key: SearchKey): Promise<void> {
  const ofKey = (queried: unknown) => {
    const k = queried as SearchKey | undefined;
    return k?.q === key.q && k.fromMs === key.fromMs && k.toMs === key.toMs;
  };
  // Asked again from its first page: refetching an infinite query refetches every page loaded,
  // one after another, which every tick of auto-refresh would start again.
  client.setQueriesData<InfiniteData<SearchResponse, string>>(
    { predicate: ({ queryKey: [kind, queried] }) => kind === 'search' && ofKey(queried) },
    (data) => data && { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) },
  );
  return client.invalidateQueries({ predicate: ({ queryKey: [kind, queried] }) => SEARCHED.has(String(kind)) && ofKey(queried) });
}

export function prefetchSearch(client: QueryClient, key: SearchKey, order: 'desc' | 'asc', histogram: HistogramShape | undefined): void {
  void client.prefetchInfiniteQuery(searchOptions(key, order));
  if (histogram !== undefined) void client.prefetchQuery(histogramOptions(key, histogram));
}

export const fieldStatsOptions = (key: SearchKey, field: string) =>
  queryOptions({
    queryKey: ['field-stats', key, field],
    queryFn: ({ signal }) => fetchJson<FieldStatsResponse>(`/api/field-stats?${params(key, { field })}`, { signal }),
    retry: retryUnlessTimedOut,
    staleTime: SNAPSHOT,
  });

export const savedSearchesOptions = () =>
  queryOptions({
    queryKey: ['saved-searches'],
    queryFn: ({ signal }) => fetchJson<SavedSearchesResponse>('/api/saved-searches', { signal }),
  });

export const saveSearch = (body: SaveSearchRequest) =>
  fetchJson<SavedSearch>('/api/saved-searches', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

export const updateSavedSearch = ({ id, ...body }: SaveSearchRequest & { id: string }) =>
  fetchJson<SavedSearch>(`/api/saved-searches/${encodeURIComponent(id)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const deleteSavedSearch = (id: string) => fetchJson<DeleteSavedSearchResponse>(`/api/saved-searches/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const contextOptions = (id: string, scope: string, before: number, after: number, seconds?: number) =>
  queryOptions({
    queryKey: ['context', id, scope, before, after, seconds],
    queryFn: ({ signal }) =>
      fetchJson<ContextResponse>(
        `/api/context?${new URLSearchParams({ id, scope, before: String(before), after: String(after), ...(seconds ? { seconds: String(seconds) } : {}) })}`,
        { signal },
      ),
    staleTime: 60_000,
  });
