// The storage interface's view (store/log-storage.ts) on one DuckDB snapshot: each request's query
// AST compiled here, once per snapshot, into the SQL the scans run.
import { type DuckDBValue, listValue } from '@duckdb/node-api';
import { patternLiterals, patternRegex } from '../../query/pattern-template';
import type { QueryNode } from '../../query/ast';
import type {
  BucketCount,
  CountsRequest,
  EntryKey,
  MicrosRange,
  PageRequest,
  PatternBucketCount,
  PatternCountsRequest,
  PatternTextsRequest,
  SampleRequest,
  SourceInfo,
  SourceTally,
  StorageView,
  TallyRequest,
  StoredEntry,
  ValueCount,
  ValuesRequest,
} from '../log-storage';
import { type CompiledQuery, compileQuery, jsonKeyPath, patternTextSql, re2Pattern } from './compile';
import { bucketCounts, sourceTallies } from './counts';
import { ENTRY_COLUMNS, type EntryRow, sourcesOf, toStoredEntry } from './entry-rows';
import { findRows, newestTexts } from './pages';
import { scanOf } from './scan';
import type { Snapshot } from './snapshot';

/**
 * File ids here count up from 1 as UINTEGER; a cursor may name a larger one (another engine's ids
 * are wider), which sorts after every real key of its time, as this one does.
 */
const MAX_FILE_ID = 0xffffffff;
const MAX_OFFSET = 2n ** 63n - 1n;

const MATCH_ALL: CompiledQuery = { sql: 'TRUE', params: {}, readsSources: false };

export class DuckDbView implements StorageView {
  private readonly compiled = new WeakMap<QueryNode, CompiledQuery>();

  constructor(readonly snapshot: Snapshot) {}

  async page(request: PageRequest): Promise<StoredEntry[]> {
    const after = request.after && request.after.fileId > MAX_FILE_ID ? { ts: request.after.ts, fileId: MAX_FILE_ID, offset: MAX_OFFSET } : request.after;
    const rows = await findRows(this.snapshot, this.filter(request.query, request.sourceIds), request.range, request.order, request.limit, after);
    return rows.map(toStoredEntry);
  }

  counts(request: CountsRequest): Promise<BucketCount[]> {
    return bucketCounts(this.snapshot, this.filter(request.query), request);
  }

  async total(query: QueryNode, range: MicrosRange): Promise<number> {
    const scan = await scanOf(this.snapshot, range, this.filter(query));
    const [row] = await this.snapshot.rows(`SELECT count(*) AS n FROM ${scan.from} WHERE ${scan.where}`, scan.params);
    return Number(row.n);
  }

  async tally({ query, range, by }: TallyRequest): Promise<SourceTally[]> {
    const level = by.includes('level');
    const stream = by.includes('stream');
    const rows = await sourceTallies(this.snapshot, this.filter(query), range, level, stream);
    return rows.map((r) => {
      const tally: SourceTally = { sourceId: Number(r.source), n: Number(r.n) };
      if (level) tally.level = String(r.level);
      if (stream) tally.stream = String(r.stream);
      return tally;
    });
  }

  async patternCounts(request: PatternCountsRequest): Promise<PatternBucketCount[]> {
    const scan = await scanOf(this.snapshot, request.range, this.filter(request.query));
    // Integers the read model computed, as literals (see counts.ts); each template's regex is bound.
    const bucket = `(epoch_us(e.ts) - ${BigInt(request.originUs).toString()}) // ${BigInt(request.intervalUs).toString()}`;
    const params: Record<string, DuckDBValue> = { ...scan.params };
    const text = boundPatternText(params);
    const fits = request.templates.map((template, i) => {
      params[`template_${i}`] = re2Pattern(patternRegex(template));
      const literals = patternLiterals(template).map((literal, j) => {
        params[`literal_${i}_${j}`] = literal;
        return `contains(t, $literal_${i}_${j})`;
      });
      // CASE, not AND: an aggregate's filter evaluates both sides of an AND on every row, while
      // CASE runs the regex only on the rows that hold every literal.
      const fit = literals.length === 0 ? `regexp_matches(t, $template_${i})` : `CASE WHEN ${literals.join(' AND ')} THEN regexp_matches(t, $template_${i}) ELSE false END`;
      return `, count(*) FILTER (WHERE ${fit}) AS fit_${i}`;
    });
    // The pattern text is computed once per line in the inner select, not once per template.
    const rows = await this.snapshot.rows(
      `SELECT bucket, level, count(*) AS n${fits.join('')}
       FROM (SELECT ${bucket} AS bucket, e.level AS level, ${text} AS t FROM ${scan.from} WHERE ${scan.where}) GROUP BY ALL`,
      params,
    );
    return rows.map((r) => ({ bucket: Number(r.bucket), level: String(r.level), n: Number(r.n), fits: request.templates.map((_, i) => Number(r[`fit_${i}`])) }));
  }

  patternTexts(request: PatternTextsRequest): Promise<string[]> {
    const filter = this.filter(request.query);
    const params: Record<string, DuckDBValue> = {};
    const text = boundPatternText(params);
    const firstLine = `left(split_part(${text}, chr(10), 1), ${Math.trunc(request.chars) + 1})`;
    return newestTexts(this.snapshot, { ...filter, params: { ...filter.params, ...params } }, request.range, request.size, firstLine);
  }

  async sample(request: SampleRequest): Promise<(string | null)[]> {
    const column = request.column === 'message' ? `left(e.message, ${Math.trunc(request.messageChars ?? 1024)}) AS value` : 'e.fields AS value';
    const rows = await findRows(this.snapshot, this.filter(request.query), request.range, 'desc', request.size, null, column);
    return rows.map((r) => ((r as unknown as { value: string | null }).value ?? null));
  }

  async values(request: ValuesRequest): Promise<ValueCount[]> {
    const { target } = request;
    if (target.kind === 'extracted' && /["\\]/.test(target.path)) return [];
    const scan = await scanOf(this.snapshot, request.range, this.filter(request.query));
    // The column name is one of two this code knows; the extracted path is bound.
    const value = target.kind === 'entry' ? `e.${target.column === 'level' ? 'level' : 'stream'}` : `json_extract_string(e.fields, $field_path)`;
    const params = { ...scan.params, prefix: request.prefix, ...(target.kind === 'extracted' ? { field_path: jsonKeyPath(target.path) } : {}) };
    const rows = await this.snapshot.rows(
      `SELECT v AS value, count(*) AS n FROM (SELECT ${value} AS v FROM ${scan.from} WHERE ${scan.where})
        WHERE v IS NOT NULL AND starts_with(lower(v), $prefix) GROUP BY v ORDER BY n DESC, v LIMIT ${Math.trunc(request.limit)}`,
      params,
    );
    return rows.map((r) => ({ value: String(r.value), count: Number(r.n) }));
  }

  async entry(key: EntryKey): Promise<StoredEntry | null> {
    if (key.fileId > MAX_FILE_ID || key.offset > MAX_OFFSET) return null;
    const at = await scanOf(this.snapshot, { fromUs: key.ts, toUs: key.ts + 1n }, MATCH_ALL);
    const found = (await this.snapshot.rows(`SELECT ${ENTRY_COLUMNS} FROM ${at.from} WHERE ${at.where} AND e.file_id = $file AND e."offset" = $offset`, {
      ...at.params,
      file: key.fileId,
      offset: key.offset,
    })) as unknown as EntryRow[];
    return found.length === 0 ? null : toStoredEntry(found[0]);
  }

  async neighbours(sourceId: number, scope: 'pod' | 'node'): Promise<number[]> {
    // A pod is its uid where the collector knew it (a StatefulSet reuses names), else namespace/pod.
    // `same` is one of two fixed fragments; the source id is bound.
    const same =
      scope === 'pod'
        ? `CASE WHEN me.pod_uid <> '' THEN o.pod_uid = me.pod_uid ELSE o.namespace = me.namespace AND o.pod = me.pod END`
        : `o.node = me.node`;
    const rows = await this.snapshot.rows(`SELECT o.id AS id FROM sources me JOIN sources o ON ${same} WHERE me.id = $id`, { id: sourceId });
    return rows.map((r) => Number(r.id));
  }

  sources(ids: Iterable<number>): Promise<Record<string, SourceInfo>> {
    return sourcesOf(this.snapshot, ids);
  }

  async labelKeys(): Promise<string[]> {
    return [...this.snapshot.knownSources.labelKeys()];
  }

  /** The query compiled once per snapshot; restricted to `sourceIds` (ids the read looked up, bound) when given. */
  private filter(query: QueryNode, sourceIds?: readonly number[]): CompiledQuery {
    let compiled = this.compiled.get(query);
    if (!compiled) this.compiled.set(query, (compiled = query.type === 'all' ? MATCH_ALL : compileQuery(query)));
    if (!sourceIds) return compiled;
    const scope = `list_contains($scope_sources, e.source_id)`;
    return {
      ...compiled,
      sql: compiled.sql === 'TRUE' ? scope : `(${compiled.sql}) AND ${scope}`,
      params: { ...compiled.params, scope_sources: listValue([...sourceIds]) },
    };
  }
}

/** The pattern text's SQL, its JSON paths bound in `params` as `$text_path_N`. */
function boundPatternText(params: Record<string, DuckDBValue>): string {
  return patternTextSql((path) => {
    const name = `text_path_${Object.keys(params).length}`;
    params[name] = path;
    return `$${name}`;
  });
}
