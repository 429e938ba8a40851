// The storage interface's view (store/log-storage.ts) on ClickHouse. ClickHouse has no snapshot
// that spans statements: each call sees the rows committed when it runs, which is what a reader
// of a growing log expects; a page's keyset cursor keeps paging exact while lines arrive.
import type { QueryNode } from '../../query/ast';
import { classifyField } from '../../query/fields';
import type {
  BucketCount,
  CountsRequest,
  EntryKey,
  MicrosRange,
  Order,
  PageRequest,
  PatternBucketCount,
  PatternCountsRequest,
  PatternTextsRequest,
  SampleRequest,
  SourceInfo,
  SourceTally,
  StorageView,
  StoredEntry,
  TallyRequest,
  ValueCount,
  ValuesRequest,
} from '../log-storage';
import { patternLiterals, patternRegex } from '../../query/pattern-template';
import { type ClickHouseFilter, compileQuery, jsonValue, patternTextSql } from './compile';
import type { Database, Row } from './database';

/** DateTime64's range: a time range reaching past it is cut to it. */
const MIN_US = BigInt(Date.parse('1900-01-01T00:00:00Z')) * 1000n;
const MAX_US = BigInt(Date.parse('2299-12-31T23:59:59Z')) * 1000n;

const ENTRY_COLUMNS = `toString(toUnixTimestamp64Micro(e.ts)) AS ts_us, toString(e.source_id) AS src, toString(e.file_id) AS file,
  toString(e.offset) AS off, e.stream AS stream, e.level AS level, e.message AS message, e.fields AS fields, e.truncated AS truncated`;

interface EntryRow {
  ts_us: string;
  src: string;
  file: string;
  off: string;
  stream: string;
  level: string;
  message: string;
  fields: string | null;
  truncated: boolean | number;
}

/** A statement's FROM and WHERE for a query over a range, with its parameters. */
interface Where {
  sql: string;
  params: Record<string, unknown>;
}

/** Hyperscan turned off (SUPPORT_IS_DISABLED) or built out (NOT_IMPLEMENTED): asked once per process. */
const HYPERSCAN_OFF = new Set(['344', '48']);
/** A template set Hyperscan will not compile (CANNOT_COMPILE_REGEXP, BAD_ARGUMENTS): that request counts one by one. */
const HYPERSCAN_REFUSED = new Set(['427', '36']);
let hyperscan: boolean | undefined;

export class ClickHouseView implements StorageView {
  private readonly compiled = new WeakMap<QueryNode, ClickHouseFilter>();

  constructor(
    private readonly db: Database,
    private readonly signal: AbortSignal,
    /** Sources last stored before this (epoch ms) are gone past retention; null: none are. */
    private readonly sourcesSince: number | null = null,
  ) {}

  async page(request: PageRequest): Promise<StoredEntry[]> {
    const rows = await this.newest<EntryRow>(ENTRY_COLUMNS, request);
    return rows.map(toStoredEntry);
  }

  async counts(request: CountsRequest): Promise<BucketCount[]> {
    const where = this.where(request.query, request.range);
    const params = { ...where.params, origin_us: request.originUs, interval_us: request.intervalUs };
    const bucket = `intDiv(toUnixTimestamp64Micro(e.ts) - {origin_us:Int64}, {interval_us:Int64})`;
    const from = `FROM ${this.db.tables.entries} AS e WHERE ${where.sql}`;
    if (!request.split) {
      const rows = await this.rows(`SELECT ${bucket} AS bucket, e.level AS level, count() AS n ${from} GROUP BY bucket, level`, params);
      return rows.map((r) => ({ bucket: Number(r.bucket), level: String(r.level), n: Number(r.n) }));
    }
    const { field, limit } = request.split;
    const kind = classifyField(field);
    if (kind.kind === 'message' || kind.kind === 'pattern') throw new Error(`split by ${kind.kind}: free text has no values to count`);
    if (kind.kind === 'source' || kind.kind === 'label') {
      // Counted per source, then each source's value looked up: a pod's fields are not on its lines.
      const rows = await this.rows(`SELECT ${bucket} AS bucket, e.level AS level, toString(e.source_id) AS src, count() AS n ${from} GROUP BY bucket, level, src`, params);
      const sources = await this.sources(rows.map((r) => Number(r.src)));
      const valueOf = (src: string): string | null => {
        const source = sources[src];
        if (!source) return null;
        return kind.kind === 'source' ? source[kind.column] : (source.labels[kind.key] ?? null);
      };
      return splitGroups(rows.map((r) => ({ bucket: Number(r.bucket), level: String(r.level), v: valueOf(String(r.src)), n: Number(r.n) })), limit);
    }
    const value = kind.kind === 'entry' ? `toString(e.${kind.column === 'level' ? 'level' : 'stream'})` : jsonValue('e.fields', '{split_key:String}');
    const splitParams = { ...params, split_key: kind.kind === 'extracted' ? kind.path : '' };
    const top = await this.rows(
      `SELECT v, count() AS n FROM (SELECT ${value} AS v ${from}) WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT {split_limit:UInt32}`,
      { ...splitParams, split_limit: limit },
    );
    const values = top.map((r) => String(r.v));
    const rows = await this.rows(
      `SELECT bucket, level, multiIf(v IS NULL, 2, has({top:Array(String)}, v), 0, 1) AS kind, if(kind = 0, v, NULL) AS value, count() AS n
       FROM (SELECT ${bucket} AS bucket, e.level AS level, ${value} AS v ${from}) GROUP BY bucket, level, kind, value`,
      { ...splitParams, top: values },
    );
    return rows.map((r) => {
      const kindOf = Number(r.kind);
      const group: BucketCount['group'] =
        kindOf === 0 ? { kind: 'value', value: String(r.value), rank: values.indexOf(String(r.value)) + 1 } : kindOf === 1 ? { kind: 'other' } : { kind: 'missing' };
      return { bucket: Number(r.bucket), level: String(r.level), n: Number(r.n), group };
    });
  }

  async total(query: QueryNode, range: MicrosRange): Promise<number> {
    const where = this.where(query, range);
    const [row] = await this.rows(`SELECT count() AS n FROM ${this.db.tables.entries} AS e WHERE ${where.sql}`, where.params);
    return Number(row.n);
  }

  async tally({ query, range, by }: TallyRequest): Promise<SourceTally[]> {
    const where = this.where(query, range);
    const level = by.includes('level');
    const stream = by.includes('stream');
    const columns = ['toString(e.source_id) AS src', ...(level ? ['e.level AS level'] : []), ...(stream ? ['e.stream AS stream'] : [])];
    const groups = ['src', ...(level ? ['level'] : []), ...(stream ? ['stream'] : [])];
    const rows = await this.rows(
      `SELECT ${columns.join(', ')}, count() AS n FROM ${this.db.tables.entries} AS e WHERE ${where.sql} GROUP BY ${groups.join(', ')}`,
      where.params,
    );
    return rows.map((r) => {
      const tally: SourceTally = { sourceId: Number(r.src), n: Number(r.n) };
      if (level) tally.level = String(r.level);
      if (stream) tally.stream = String(r.stream);
      return tally;
    });
  }

  /**
   * One pass of Hyperscan over each line's pattern text finds every template it fits
   * (`multiMatchAllIndices`), where a RE2 `match` per template would read each line once per
   * template. Where the server has Hyperscan turned off or built out, or it refuses a template
   * set, each template is a `match` of its own again; both find exactly what `pattern:"…"` (RE2)
   * finds, which the tests hold them to.
   */
  async patternCounts(request: PatternCountsRequest): Promise<PatternBucketCount[]> {
    if (request.templates.length > 0 && hyperscan !== false) {
      try {
        return await this.patternCountsAtOnce(request);
      } catch (err) {
        const code = String((err as { code?: unknown }).code ?? '');
        if (HYPERSCAN_OFF.has(code)) hyperscan = false;
        else if (!HYPERSCAN_REFUSED.has(code) && !/hyperscan|vectorscan/i.test((err as Error).message ?? '')) throw err;
      }
    }
    return this.patternCountsEach(request);
  }

  private async patternCountsAtOnce(request: PatternCountsRequest): Promise<PatternBucketCount[]> {
    const { where, params, bucket, text } = this.patternScan(request);
    params.templates = request.templates.map(patternRegex);
    const rows = await this.rows<{ bucket: string; level: string; n: string; fits: [number[], string[]] }>(
      `SELECT bucket, level, count() AS n, sumMap(hits, arrayMap(x -> toUInt64(1), hits)) AS fits
       FROM (SELECT ${bucket} AS bucket, e.level AS level, multiMatchAllIndices(${text}, {templates:Array(String)}) AS hits
             FROM ${this.db.tables.entries} AS e WHERE ${where})
       GROUP BY bucket, level`,
      params,
    );
    return rows.map((r) => {
      const fits = new Array<number>(request.templates.length).fill(0);
      const [indexes, counts] = r.fits;
      indexes.forEach((index, k) => (fits[Number(index) - 1] = Number(counts[k])));
      return { bucket: Number(r.bucket), level: String(r.level), n: Number(r.n), fits };
    });
  }

  private async patternCountsEach(request: PatternCountsRequest): Promise<PatternBucketCount[]> {
    const { where, params, bucket, text } = this.patternScan(request);
    const fits = request.templates.map((template, i) => {
      params[`template_${i}`] = patternRegex(template);
      // The literals first: a substring search rules out most lines for a fraction of a regex.
      const literals = patternLiterals(template).map((literal, j) => {
        params[`literal_${i}_${j}`] = literal;
        return `position(t, {literal_${i}_${j}:String}) > 0 AND `;
      });
      return `, countIf(${literals.join('')}match(t, {template_${i}:String})) AS fit_${i}`;
    });
    // The pattern text is computed once per line in the inner select, not once per template.
    const rows = await this.rows(
      `SELECT bucket, level, count() AS n${fits.join('')}
       FROM (SELECT ${bucket} AS bucket, e.level AS level, ${text} AS t FROM ${this.db.tables.entries} AS e WHERE ${where})
       GROUP BY bucket, level`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), level: String(r.level), n: Number(r.n), fits: request.templates.map((_, i) => Number(r[`fit_${i}`])) }));
  }

  /** The filter, its parameters, the bucket of a line and its pattern text, for the pattern counts. */
  private patternScan(request: PatternCountsRequest) {
    const where = this.where(request.query, request.range);
    const params: Record<string, unknown> = { ...where.params, origin_us: request.originUs, interval_us: request.intervalUs };
    const bucket = `intDiv(toUnixTimestamp64Micro(e.ts) - {origin_us:Int64}, {interval_us:Int64})`;
    const text = patternTextSql((key) => {
      params[`text_key_${key}`] = key;
      return `{text_key_${key}:String}`;
    });
    return { where: where.sql, params, bucket, text };
  }

  async patternTexts(request: PatternTextsRequest): Promise<string[]> {
    const params: Record<string, unknown> = {};
    const text = patternTextSql((key) => {
      params[`text_key_${key}`] = key;
      return `{text_key_${key}:String}`;
    });
    // The text up to its first line break (ClickHouse computes the repeated expression once).
    const firstLine = `if(position(${text}, '\\n') > 0, substring(${text}, 1, position(${text}, '\\n') - 1), ${text})`;
    const column = `substringUTF8(${firstLine}, 1, ${Math.trunc(request.chars) + 1}) AS value`;
    const rows = await this.newest<{ value: string }>(column, { query: request.query, range: request.range, order: 'desc', limit: request.size, after: null }, params);
    return rows.map((r) => r.value);
  }

  async sample(request: SampleRequest): Promise<(string | null)[]> {
    const column = request.column === 'message' ? `substringUTF8(e.message, 1, ${Math.trunc(request.messageChars ?? 1024)}) AS value` : 'e.fields AS value';
    const rows = await this.newest<{ value: string | null }>(column, { ...request, order: 'desc', limit: request.size, after: null });
    return rows.map((r) => r.value ?? null);
  }

  async values(request: ValuesRequest): Promise<ValueCount[]> {
    const { target } = request;
    if (target.kind === 'extracted' && /["\\]/.test(target.path)) return [];
    const where = this.where(request.query, request.range);
    const value = target.kind === 'entry' ? `toString(e.${target.column === 'level' ? 'level' : 'stream'})` : jsonValue('e.fields', '{field_key:String}');
    const rows = await this.rows(
      `SELECT v AS value, count() AS n FROM (SELECT ${value} AS v FROM ${this.db.tables.entries} AS e WHERE ${where.sql})
       WHERE v IS NOT NULL AND startsWith(lowerUTF8(v), {prefix:String}) GROUP BY v ORDER BY n DESC, v LIMIT {limit:UInt32}`,
      { ...where.params, field_key: target.kind === 'extracted' ? target.path : '', prefix: request.prefix, limit: request.limit },
    );
    return rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
  }

  async entry(key: EntryKey): Promise<StoredEntry | null> {
    const rows = await this.rows<EntryRow>(
      `SELECT ${ENTRY_COLUMNS} FROM ${this.db.tables.entries} AS e
       WHERE e.ts = fromUnixTimestamp64Micro({ts_us:Int64}, 'UTC') AND e.file_id = {file:UInt64} AND e.offset = {off:UInt64} LIMIT 1`,
      { ts_us: key.ts, file: key.fileId, off: key.offset },
    );
    return rows.length === 0 ? null : toStoredEntry(rows[0]);
  }

  async neighbours(sourceId: number, scope: 'pod' | 'node'): Promise<number[]> {
    const [me] = await this.rows(`SELECT pod_uid, namespace, pod, node FROM ${this.db.tables.sources} FINAL WHERE id = {id:UInt64}`, { id: sourceId });
    if (!me) return [];
    // A pod is its uid where the collector knew it (a StatefulSet reuses names), else namespace/pod.
    const same =
      scope === 'node' ? 'node = {node:String}' : me.pod_uid !== '' ? 'pod_uid = {pod_uid:String}' : 'namespace = {namespace:String} AND pod = {pod:String}';
    const rows = await this.rows(`SELECT toString(id) AS id FROM ${this.db.tables.sources} FINAL WHERE ${same}`, me);
    return rows.map((r) => Number(r.id));
  }

  async sources(ids: Iterable<number>): Promise<Record<string, SourceInfo>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return {};
    const rows = await this.rows(
      `SELECT toString(id) AS id, node, namespace, pod, container, container_id, labels FROM ${this.db.tables.sources} FINAL WHERE id IN {ids:Array(UInt64)}`,
      { ids: unique },
    );
    const out: Record<string, SourceInfo> = {};
    for (const row of rows) {
      out[String(row.id)] = {
        node: String(row.node),
        namespace: String(row.namespace),
        pod: String(row.pod),
        container: String(row.container),
        containerId: String(row.container_id),
        labels: row.labels as Record<string, string>,
      };
    }
    return out;
  }

  async labelKeys(): Promise<string[]> {
    const since = this.sourcesSince === null ? '' : ' WHERE last_seen >= fromUnixTimestamp64Milli({since:Int64})';
    const rows = await this.rows(`SELECT DISTINCT arrayJoin(mapKeys(labels)) AS key FROM ${this.db.tables.sources} FINAL${since}`, since ? { since: this.sourcesSince } : {});
    return rows.map((r) => String(r.key));
  }

  /** `columns` of the entries matching a page request, in its order, after its cursor; `extra` binds what `columns` names. */
  private newest<T>(columns: string, request: Omit<PageRequest, 'order'> & { order: Order }, extra: Record<string, unknown> = {}): Promise<T[]> {
    const where = this.where(request.query, request.range);
    const params: Record<string, unknown> = { ...where.params, ...extra, limit: request.limit };
    let sql = where.sql;
    if (request.sourceIds) {
      sql += ' AND e.source_id IN {scope:Array(UInt64)}';
      params.scope = [...request.sourceIds];
    }
    const direction = request.order === 'asc' ? 'ASC' : 'DESC';
    if (request.after) {
      sql += ` AND (e.ts, e.file_id, e.offset) ${request.order === 'asc' ? '>' : '<'} (fromUnixTimestamp64Micro({after_ts:Int64}, 'UTC'), {after_file:UInt64}, {after_off:UInt64})`;
      Object.assign(params, { after_ts: request.after.ts, after_file: request.after.fileId, after_off: request.after.offset });
    }
    return this.rows<T>(
      `SELECT ${columns} FROM ${this.db.tables.entries} AS e WHERE ${sql}
       ORDER BY e.ts ${direction}, e.file_id ${direction}, e.offset ${direction} LIMIT {limit:UInt32}`,
      params,
    );
  }

  /** The range and the query, compiled once per view. */
  private where(query: QueryNode, range: MicrosRange): Where {
    let filter = this.compiled.get(query);
    if (!filter) this.compiled.set(query, (filter = compileQuery(query, this.db.tables.sources)));
    const clamp = (us: bigint) => (us < MIN_US ? MIN_US : us > MAX_US ? MAX_US : us);
    return {
      sql: `e.ts >= fromUnixTimestamp64Micro({from_us:Int64}, 'UTC') AND e.ts < fromUnixTimestamp64Micro({to_us:Int64}, 'UTC') AND ${filter.sql}`,
      params: { ...filter.params, from_us: clamp(range.fromUs), to_us: clamp(range.toUs) },
    };
  }

  private rows<T = Row>(sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return this.db.rows<T>(sql, params, this.signal);
  }
}

function toStoredEntry(row: EntryRow): StoredEntry {
  return {
    key: { ts: BigInt(row.ts_us), fileId: Number(row.file), offset: BigInt(row.off) },
    sourceId: Number(row.src),
    stream: row.stream,
    level: row.level,
    message: row.message,
    fields: row.fields,
    truncated: row.truncated === true || row.truncated === 1,
  };
}

/** Counts per (bucket, level, value) into the top `limit` values by total, the rest and the missing. */
function splitGroups(rows: { bucket: number; level: string; v: string | null; n: number }[], limit: number): BucketCount[] {
  const totals = new Map<string, number>();
  for (const r of rows) if (r.v !== null) totals.set(r.v, (totals.get(r.v) ?? 0) + r.n);
  const top = [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
  const rank = new Map(top.map(([v], i) => [v, i + 1]));
  const merged = new Map<string, BucketCount>();
  for (const r of rows) {
    const at = r.v === null ? undefined : rank.get(r.v);
    const group: BucketCount['group'] = r.v === null ? { kind: 'missing' } : at ? { kind: 'value', value: r.v, rank: at } : { kind: 'other' };
    const id = `${r.bucket}\0${r.level}\0${group.kind}\0${group.kind === 'value' ? group.value : ''}`;
    const count = merged.get(id);
    if (count) count.n += r.n;
    else merged.set(id, { bucket: r.bucket, level: r.level, n: r.n, group });
  }
  return [...merged.values()];
}
