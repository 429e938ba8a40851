// GET /api/context: the lines around one hit, in a scope the user picks — the same container
// (default), the same pod (every container of it), the same node, or everything — limited to
// ±`seconds` around the hit. Neighbours come in time order, paged by the same keyset walk as search.
import { LogpondError } from '../errors';
import type { AllNode } from '../query/ast';
import type { StorageView } from '../store/log-storage';
import { decodeKey, type Hit, type SourceInfo, toHit } from './hits';

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

const ALL: AllNode = { type: 'all', start: 0, end: 0 };

export async function context(view: StorageView, request: ContextRequest): Promise<Context> {
  const key = decodeKey(request.id, 'id');
  const hit = await view.entry(key);
  if (!hit) throw new HitNotFoundError();
  const sourceIds = await scopeSources(view, request.scope, hit.sourceId);
  const spanUs = BigInt(Math.trunc(request.seconds * 1_000_000));
  const around = { query: ALL, after: hit.key, sourceIds };
  const before = request.before > 0 ? await view.page({ ...around, range: { fromUs: key.ts - spanUs, toUs: key.ts + 1n }, order: 'desc', limit: request.before }) : [];
  const after = request.after > 0 ? await view.page({ ...around, range: { fromUs: key.ts, toUs: key.ts + spanUs + 1n }, order: 'asc', limit: request.after }) : [];
  before.reverse();
  return {
    before: before.map(toHit),
    hit: toHit(hit),
    after: after.map(toHit),
    sources: await view.sources([hit, ...before, ...after].map((e) => e.sourceId)),
  };
}

/** The sources of the scope, or none for `all` (every source). */
async function scopeSources(view: StorageView, scope: ContextScope, sourceId: number): Promise<number[] | undefined> {
  if (scope === 'all') return undefined;
  if (scope === 'container') return [sourceId];
  return view.neighbours(sourceId, scope);
}
