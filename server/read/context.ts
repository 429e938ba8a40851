// GET /api/context: the lines around one hit, in a scope the user picks — the same container
// (default), the same pod (every container of it), the same node, or everything — limited to
// ±`seconds` around the hit. Neighbours come in time order, paged by the same keyset walk as search.
import { listValue } from '@duckdb/node-api';
import { LogpondError } from '../errors';
import type { CompiledQuery } from '../query/compile';
import { decodeKey, HIT_COLUMNS, type Hit, type HitRow, keyOf, type SourceInfo, sourcesOf, toHit } from './hits';
import { scanOf } from './scan';
import { findRows } from './search';
import type { Snapshot } from './snapshot';

export const CONTEXT_SCOPES = ['container', 'pod', 'node', 'all'] as const;
export type ContextScope = (typeof CONTEXT_SCOPES)[number];

export const DEFAULT_CONTEXT_LINES = 20;
export const MAX_CONTEXT_LINES = 500;
/** How far from the hit to look: a small window for `all` (a busy cluster has many lines a second). */
export const DEFAULT_CONTEXT_SECONDS: Record<ContextScope, number> = { container: 86_400, pod: 86_400, node: 3_600, all: 10 };

export interface ContextRequest {
  id: string;
  before: number;
  after: number;
  scope: ContextScope;
  seconds: number;
}

export interface Context {
  before: Hit[];
  hit: Hit;
  after: Hit[];
  sources: Record<string, SourceInfo>;
}

export class HitNotFoundError extends LogpondError {
  constructor() {
    super(404, 'not_found', 'no line has this id (it may have passed the retention period)');
  }
}

const MATCH_ALL: CompiledQuery = { sql: 'TRUE', params: {}, readsSources: false };

export async function context(snapshot: Snapshot, request: ContextRequest): Promise<Context> {
  const key = decodeKey(request.id, 'id');
  const at = await scanOf(snapshot, { fromUs: key.ts, toUs: key.ts + 1n }, MATCH_ALL);
  const found = (await snapshot.rows(`SELECT ${HIT_COLUMNS} FROM ${at.from} WHERE ${at.where} AND e.file_id = $file AND e."offset" = $offset`, {
    ...at.params,
    file: key.fileId,
    offset: key.offset,
  })) as unknown as HitRow[];
  if (found.length === 0) throw new HitNotFoundError();
  const row = found[0];
  const scope = await scopeFilter(snapshot, request.scope, Number(row.source_id));
  const spanUs = BigInt(Math.trunc(request.seconds * 1_000_000));
  const before = request.before > 0 ? await findRows(snapshot, scope, { fromUs: key.ts - spanUs, toUs: key.ts + 1n }, 'desc', request.before, keyOf(row)) : [];
  const after = request.after > 0 ? await findRows(snapshot, scope, { fromUs: key.ts, toUs: key.ts + spanUs + 1n }, 'asc', request.after, keyOf(row)) : [];
  before.reverse();
  return {
    before: before.map(toHit),
    hit: toHit(row),
    after: after.map(toHit),
    sources: await sourcesOf(snapshot, [row, ...before, ...after].map((r) => Number(r.source_id))),
  };
}

/** The scope as a filter over `e`, built from ids this code looked up: never from user text. */
async function scopeFilter(snapshot: Snapshot, scope: ContextScope, sourceId: number): Promise<CompiledQuery> {
  if (scope === 'all') return MATCH_ALL;
  if (scope === 'container') return { sql: 'e.source_id = $scope_source', params: { scope_source: sourceId }, readsSources: false };
  // A pod is its uid where the collector knew it (a StatefulSet reuses names), else namespace/pod.
  // `same` is one of two fixed fragments; the source id is bound.
  const same =
    scope === 'pod'
      ? `CASE WHEN me.pod_uid <> '' THEN o.pod_uid = me.pod_uid ELSE o.namespace = me.namespace AND o.pod = me.pod END`
      : `o.node = me.node`;
  const rows = await snapshot.rows(`SELECT o.id AS id FROM sources me JOIN sources o ON ${same} WHERE me.id = $id`, { id: sourceId });
  return {
    sql: 'list_contains($scope_sources, e.source_id)',
    params: { scope_sources: listValue(rows.map((r) => Number(r.id))) },
    readsSources: false,
  };
}
