import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileQuery } from './compile';
import { parseQuery } from '../../query/parse';
import { QuerySyntaxError } from '../../query/query-syntax-error';
import { regexProblem } from '../../query/regex-check';

let instance: DuckDBInstance;
let c: DuckDBConnection;

// id, source_id, stream, level, message, fields
const ENTRIES: [number, number, string, string, string, string | null][] = [
  [1, 1, 'stderr', 'ERROR', 'dial tcp 10.0.0.1:5432: Connection refused', '{"status":500,"user.id":42,"latency_ms":750}'],
  [2, 1, 'stdout', 'INFO', 'request served', '{"status":200,"user.id":7,"latency_ms":12}'],
  [3, 2, 'stderr', 'WARN', 'upstream timeout after 30s', '{"status":504,"latency_ms":30000}'],
  [4, 2, 'stdout', 'WARN', 'the call timed out', null],
  [5, 3, 'stdout', 'INFO', 'disk 100% full', '{"path":"/var/lib"}'],
  [6, 3, 'stdout', 'INFO', 'disk 1000 full and snake_case here', '{"status":"500"}'],
  [7, 4, 'stdout', 'DEBUG', 'cache hit ratio 0.93', '{"latency_ms":"n/a"}'],
  [8, 4, 'stderr', 'ERROR', `oops '; DROP TABLE entries; -- c:\\tmp`, '{"user.id":42}'],
];

// id, namespace, pod, container, node, labels
const SOURCES: [number, string, string, string, string, string | null][] = [
  [1, 'shop', 'checkout-api-7d9f-abc', 'app', 'node-a', '{"app.kubernetes.io/name":"checkout","team":"pay"}'],
  [2, 'shop', 'checkout-worker-1', 'worker', 'node-b', '{"app.kubernetes.io/name":"checkout-worker"}'],
  [3, 'infra', 'disk-monitor', 'mon', 'node-a', '{}'],
  [4, 'kube-system', 'coredns-1', 'coredns', 'node-b', null],
];

const lit = (v: string | number | null) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
  await c.run(
    'CREATE TABLE entries(id INTEGER, ts TIMESTAMP, source_id UINTEGER, stream VARCHAR, level VARCHAR, message VARCHAR, fields VARCHAR)',
  );
  await c.run('CREATE TABLE sources(id UINTEGER, namespace VARCHAR, pod VARCHAR, container VARCHAR, node VARCHAR, labels VARCHAR)');
  for (const [id, src, stream, level, message, fields] of ENTRIES) {
    await c.run(
      `INSERT INTO entries VALUES (${id}, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL ${id} SECOND, ${src}, ${lit(stream)}, ${lit(level)}, ${lit(message)}, ${lit(fields)})`,
    );
  }
  for (const row of SOURCES) await c.run(`INSERT INTO sources VALUES (${row.map(lit).join(', ')})`);
});

afterAll(() => {
  c?.closeSync();
  instance?.closeSync();
});

async function ids(query: string): Promise<number[]> {
  const { sql, params } = compileQuery(parseQuery(query));
  const result = await c.runAndReadAll(`SELECT e.id FROM entries e JOIN sources s ON s.id = e.source_id WHERE ${sql} ORDER BY 1`, params);
  return result.getRowsJS().map((r) => Number(r[0]));
}

describe('compileQuery on DuckDB', () => {
  it.each<[string, number[]]>([
    ['', [1, 2, 3, 4, 5, 6, 7, 8]],
    // free text and phrases: case-insensitive substrings
    ['refused', [1]],
    ['CONNECTION', [1]],
    ['"connection refused"', [1]],
    ['"timed out"', [4]],
    ['time*', [3, 4]],
    ['disk 100?', [5, 6]],
    // literal % and _ are not wildcards
    ['"100%"', [5]],
    ['100%', [5]],
    ['snake_case', [6]],
    ['"snake_cas"', [6]],
    ['"snakeXcase"', []],
    ['"e_c"', [6]],
    ['"c:\\\\tmp"', [8]],
    [`"'; DROP TABLE entries; --"`, [8]],
    // keyword fields: exact and case-sensitive; wildcards anchored
    ['pod:checkout-*', [1, 2, 3, 4]],
    ['pod:checkout', []],
    ['pod:checkout-worker-?', [3, 4]],
    ['pod:*-1', [3, 4, 7, 8]],
    ['pod:*worker*', [3, 4]],
    ['pod:*', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['pod:c*-*-?', [3, 4]],
    ['pod:**', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['pod:"checkout-*"', []],
    ['namespace:shop', [1, 2, 3, 4]],
    ['node:node-a', [1, 2, 5, 6]],
    ['container:coredns', [7, 8]],
    ['stream:stderr', [1, 3, 8]],
    ['level:ERROR', [1, 8]],
    ['level:error', []],
    ['message:TIMEOUT', [3]],
    ['message:"request served"', [2]],
    // labels: keys with dots and a slash
    ['labels.app.kubernetes.io/name:checkout', [1, 2]],
    ['labels.app.kubernetes.io/name:checkout*', [1, 2, 3, 4]],
    ['labels.team:pay', [1, 2]],
    ['labels.team:*', [1, 2]],
    ['not labels.team:pay', [3, 4, 5, 6, 7, 8]],
    // extracted fields: compared as text, numbers and strings alike
    ['status:500', [1, 6]],
    ['user.id:42', [1, 8]],
    ['status:5*', [1, 3, 6]],
    ['path:"/var/lib"', [5]],
    ['latency_ms>500', [1, 3]],
    ['latency_ms>=750', [1, 3]],
    ['latency_ms<750', [2]],
    ['latency_ms<=12', [2]],
    ['status >= 500 and status < 504', [1, 6]],
    ['status:*', [1, 2, 3, 6]],
    ['user.id:*', [1, 2, 8]],
    ['nothing:*', []],
    // not: entries without the field match
    ['not status:500', [2, 3, 4, 5, 7, 8]],
    ['-status:500', [2, 3, 4, 5, 7, 8]],
    ['not latency_ms>100', [2, 4, 5, 6, 7, 8]],
    // built-in exists
    ['pod:*', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['message:*', [1, 2, 3, 4, 5, 6, 7, 8]],
    // regex
    ['message:/time(d)? ?out/', [3, 4]],
    ['pod:/^checkout-(api|worker)-/', [1, 2, 3, 4]],
    ['status:/^50[04]$/', [1, 3, 6]],
    ['path:/^\\/var/', [5]],
    ['not status:/^5/', [2, 4, 5, 7, 8]],
    // boolean structure
    ['refused or timeout', [1, 3]],
    ['level:WARN and not timeout', [4]],
    ['pod:(checkout-worker-1 or disk-monitor) -disk', [3, 4]],
    ['(level:ERROR or level:WARN) and labels.app.kubernetes.io/name:checkout', [1]],
  ])('%s', async (query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  it('rejects regexes RE2 cannot run with a QuerySyntaxError', async () => {
    for (const q of ['message:/a(?=b)/', 'message:/(a)\\1/', 'message:/\\u0041/', 'message:/(?<n>a)/', 'message:/a{2000}/']) {
      await expect(ids(q)).rejects.toBeInstanceOf(QuerySyntaxError);
    }
  });

  it('every pattern the validator accepts runs on RE2', async () => {
    for (const pattern of ['\\p{L}+', '\\p{Any}', '[0-9a-f]{8}-[0-9a-f]{4}', '\\x41', '\\0', '\\v\\f', '()', 'a|', '(a{100}){10}', '[\\-a]', '\\bx\\B',
      // at the edges of RE2's sizes (regex-check.ts)
      '\\p{L}{300}.{1000}', '[\\p{L}\\p{N}]{166}', '(\\W{100}){10}[^a]{1000}', '((a{10}){10}){10}', '\\P{Lu}{333}', '\\p{Cs}{333}']) {
      expect(regexProblem(pattern)).toBeNull();
      const { sql, params } = compileQuery(parseQuery(`message:/${pattern}/`));
      await c.runAndReadAll(`SELECT count(*) FROM entries e JOIN sources s ON s.id = e.source_id WHERE ${sql}`, params);
    }
  });

  it('property: arbitrary text gives rows or a QuerySyntaxError, never another error', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .array(
          fc.constantFrom('pod', 'status', 'labels.a/b', 'message', ':', '/', '\\', '"', "'", '%', '_', '*', '?', '(', ')', ' ', 'or', 'not', '-', '>', '<=', '5', '.', '{', '}', '[', ']', '^', '$', '|', '+', 'a', 'p{L}', '?<', '?=', '1'),
          { maxLength: 16 },
        )
        .map((a) => a.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (q) => {
        try {
          await ids(q);
        } catch (e) {
          if (!(e instanceof QuerySyntaxError)) throw e;
        }
      }),
      { numRuns: 200 },
    );
  });
});
