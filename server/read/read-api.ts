// The read routes of DESIGN.md ("The HTTP API (v1)") as functions of their query string: each
// validates its parameters (400 naming the bad one), runs on one consistent view of the storage
// (store/log-storage.ts) with the query timeout and the client's abort signal, and returns the
// JSON body. Route handlers only call these; which engine answers is not theirs to know.
import { choiceParam, columnsParam, fieldParam, filterOf, intParam, queryText, rangeOf, requiredParam, zoneOffsetParam, zonePiecesParam } from './read-params';
import { CONTEXT_SCOPES, context, DEFAULT_CONTEXT_LINES, DEFAULT_CONTEXT_SECONDS, MAX_CONTEXT_LINES } from './context';
import { BadRequestError } from '../errors';
import { fieldStats } from './field-stats';
import { fieldList } from './fields';
import { DEFAULT_BUCKETS, histogram, MAX_BUCKETS } from './histogram';
import { decodeKey } from './hits';
import { DEFAULT_SPLIT_LIMIT, MAX_SPLIT_LIMIT } from './histogram-split';
import { EXPORT_FORMATS, exportFileName, MAX_EXPORT_LINES, planExport } from './export';
import { DEFAULT_PATTERNS, MAX_PATTERNS, patterns } from './patterns';
import type { PatternsResponse } from '../../common/read-api';
import { search, type SearchPage } from './search';
import { type UnknownField, unknownFields } from './unknown-fields';
import { type UnknownValue, unknownValues } from './unknown-values';
import { tail, type TailEvent } from './tail';
import type { LogStorage } from '../store/log-storage';
import { suggest } from './suggest';
import { DEFAULT_VALUES_LIMIT, fieldValues, MAX_VALUES_LIMIT } from './values';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
const ORDERS = ['desc', 'asc'] as const;

/** The coarsest interval a histogram may be asked for: a year. */
const MAX_INTERVAL_MS = 365 * 86_400_000;

export class ReadApi {
  /** Open /api/tail streams. */
  activeTails = 0;

  constructor(readonly storage: LogStorage) {}

  async search(params: URLSearchParams, signal?: AbortSignal) {
    const started = performance.now();
    const request = {
      query: filterOf(params),
      range: rangeOf(params),
      order: choiceParam(params, 'order', ORDERS),
      limit: intParam(params, 'limit', DEFAULT_PAGE, 1, MAX_PAGE),
      cursor: params.get('cursor'),
    };
    const page = await this.storage.read(async (view): Promise<SearchPage & { warnings?: (UnknownField | UnknownValue)[] }> => {
      const found = await search(view, request);
      if (found.hits.length > 0 || request.cursor) return found;
      // Nothing found: say so when a field the query names exists nowhere in the range, or a
      // Kubernetes field or level never has the value it asks for.
      const warnings = [...(await unknownFields(view, request.query, request.range)), ...(await unknownValues(view, request.query, queryText(params), request.range))];
      return warnings.length > 0 ? { ...found, warnings } : found;
    }, { signal });
    return { ...page, tookMs: Math.round(performance.now() - started) };
  }

  async histogram(params: URLSearchParams, signal?: AbortSignal) {
    const filter = filterOf(params);
    const range = rangeOf(params);
    const buckets = intParam(params, 'buckets', DEFAULT_BUCKETS, 1, MAX_BUCKETS);
    const limit = intParam(params, 'splitLimit', DEFAULT_SPLIT_LIMIT, 1, MAX_SPLIT_LIMIT);
    const field = fieldParam(params, 'split');
    const split = field ? { field, limit } : null;
    const interval = params.get('interval')?.trim() ? intParam(params, 'interval', 0, 1, MAX_INTERVAL_MS) : null;
    const offsets = zonePiecesParam(params, range);
    return this.storage.read((view) => histogram(view, filter, range, buckets, split, interval, offsets), { signal });
  }

  async patterns(params: URLSearchParams, signal?: AbortSignal): Promise<PatternsResponse> {
    const started = performance.now();
    const range = rangeOf(params);
    const request = {
      query: filterOf(params),
      range,
      limit: intParam(params, 'limit', DEFAULT_PATTERNS, 1, MAX_PATTERNS),
      buckets: intParam(params, 'buckets', DEFAULT_BUCKETS, 1, MAX_BUCKETS),
      offsetUs: zoneOffsetParam(params, range),
    };
    const found = await this.storage.read((view) => patterns(view, request), { signal });
    return { ...found, tookMs: Math.round(performance.now() - started) };
  }

  async fields(params: URLSearchParams, signal?: AbortSignal) {
    const filter = filterOf(params);
    const range = rangeOf(params);
    return this.storage.read((view) => fieldList(view, filter, range), { signal });
  }

  async fieldStats(params: URLSearchParams, signal?: AbortSignal) {
    const field = fieldParam(params, 'field');
    if (!field) throw new BadRequestError('field: required', 'invalid_parameter');
    const filter = filterOf(params);
    const range = rangeOf(params);
    return this.storage.read((view) => fieldStats(view, filter, range, field), { signal });
  }

  async values(params: URLSearchParams, signal?: AbortSignal) {
    const field = requiredParam(params, 'field');
    const prefix = params.get('prefix') ?? '';
    const filter = filterOf(params);
    const range = rangeOf(params);
    const limit = intParam(params, 'limit', DEFAULT_VALUES_LIMIT, 1, MAX_VALUES_LIMIT);
    const values = await this.storage.read((view) => fieldValues(view, filter, range, field, prefix, limit), { signal });
    return { values };
  }

  async suggest(params: URLSearchParams, signal?: AbortSignal) {
    const q = queryText(params);
    const pos = intParam(params, 'pos', q.length, 0, q.length);
    const range = rangeOf(params);
    const suggestions = await this.storage.read((view) => suggest(view, q, pos, range), { signal });
    return { suggestions };
  }

  async context(params: URLSearchParams, signal?: AbortSignal) {
    const scope = choiceParam(params, 'scope', CONTEXT_SCOPES);
    const request = {
      id: requiredParam(params, 'id'),
      scope,
      before: intParam(params, 'before', DEFAULT_CONTEXT_LINES, 0, MAX_CONTEXT_LINES),
      after: intParam(params, 'after', DEFAULT_CONTEXT_LINES, 0, MAX_CONTEXT_LINES),
      seconds: intParam(params, 'seconds', DEFAULT_CONTEXT_SECONDS[scope], 1, 7 * 86_400),
    };
    return this.storage.read((view) => context(view, request), { signal });
  }

  async export(params: URLSearchParams, signal?: AbortSignal) {
    const range = rangeOf(params);
    const request = {
      query: filterOf(params),
      range,
      order: choiceParam(params, 'order', ORDERS),
      format: choiceParam(params, 'format', EXPORT_FORMATS),
      limit: intParam(params, 'limit', MAX_EXPORT_LINES, 1, MAX_EXPORT_LINES),
      columns: columnsParam(params),
      zone: zonePiecesParam(params, range),
    };
    return { format: request.format, fileName: exportFileName(request.range, request.format, request.zone), ...(await planExport(this.storage, request, signal)) };
  }

  /**
   * Validates `q` and `resumeAfter` (the browser's Last-Event-ID, see tail.ts) now, so a bad one is a
   * 400, not a broken stream, and returns the event source.
   */
  tail(params: URLSearchParams, signal: AbortSignal, resumeAfter?: string): AsyncGenerator<TailEvent> {
    const query = filterOf(params);
    if (resumeAfter !== undefined) decodeKey(resumeAfter, 'cursor');
    return this.counted(tail(this.storage, query, { signal, resumeAfter }));
  }

  private async *counted(events: AsyncGenerator<TailEvent>): AsyncGenerator<TailEvent> {
    this.activeTails++;
    try {
      yield* events;
    } finally {
      this.activeTails--;
    }
  }
}

