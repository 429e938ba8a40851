// The layers of DESIGN.md ("Layers"), held by their imports: server/ is plain TypeScript (the
// store, ingest and read models run in Vitest, bench scripts and behind any front end), and the
// storage engine sits below one interface (store/log-storage.ts) that nothing reaches past.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const SERVER = import.meta.dirname;
const ROOT = path.dirname(SERVER);
/** Each engine's folder, and the package names only its code may import. */
const ENGINES = [
  { dir: path.join(SERVER, 'store', 'duckdb'), packages: /['"]@duckdb\//, name: 'duckdb' },
  { dir: path.join(SERVER, 'store', 'clickhouse'), packages: /(from\s+|import\(|require\()['"](@clickhouse\/|chdb)/, name: 'clickhouse' },
];

/** Every source file under `dir` (recursively), absolute. */
function sourceFiles(dir: string, { tests = true } = {}): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mjs)$/.test(e.name) && (tests || !/\.test\.tsx?$/.test(e.name)))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`) && !file.includes(`${path.sep}bench${path.sep}tmp${path.sep}`));
}

/** `file:line: text` for every line of `files` matching `pattern`. */
function offending(files: string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${path.relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [])),
  );
}

const insideEngine = (file: string) => ENGINES.some((e) => file.startsWith(e.dir + path.sep));

it('server/ imports neither React nor Next', () => {
  const FORBIDDEN = /from\s+['"](react|react-dom|next|server-only)(\/[^'"]*)?['"]|import\s+['"](next|server-only)(\/[^'"]*)?['"]/;
  expect(offending(sourceFiles(SERVER), FORBIDDEN)).toEqual([]);
});

it('the store does not decode batches: a journal replays through the hook ingest gives it', () => {
  const DECODER = /from\s+['"](\.\.\/)+ingest\/(decode-batch|decode-pool|decode-worker|journal-replay|validate-batch|extract[^'"]*)['"]/;
  expect(offending(sourceFiles(path.join(SERVER, 'store'), { tests: false }), DECODER)).toEqual([]);
});

it.each(ENGINES)('nothing outside $name\'s folder imports its client, nor another engine', ({ dir, packages, name }) => {
  const files = ['app', 'components', 'server', 'collector', 'common', 'bench', 'scripts', 'e2e']
    .map((d) => path.join(ROOT, d))
    .filter((d) => fs.existsSync(d))
    .flatMap((d) => sourceFiles(d))
    .filter((file) => !file.startsWith(dir + path.sep));
  expect(files.length).toBeGreaterThan(100);
  expect(offending(files, packages)).toEqual([]);
  // One engine never reaches into another: what they share sits above them, in store/ or query/.
  const others = ENGINES.filter((e) => e.name !== name).flatMap((e) => sourceFiles(e.dir));
  expect(offending(others, new RegExp(`from\\s+['"][./]*(store/)?${name}/`))).toEqual([]);
});

it('the read models build no SQL and call only the storage interface; their tests run on every engine alike', () => {
  const read = sourceFiles(path.join(SERVER, 'read'), { tests: false });
  expect(read.length).toBeGreaterThan(10);
  const readTests = sourceFiles(path.join(SERVER, 'read')).filter((file) => !read.includes(file));
  expect(offending([...read, ...readTests], /from\s+['"][./]*store\/(duckdb|clickhouse)\//)).toEqual([]);
  // SQL text: a SELECT, a FROM … WHERE, or the engine's functions and tables by name.
  expect(offending(read, /\bSELECT\b|\bFROM\s+\S+\s+WHERE\b|read_parquet|entries_hot|\brollups\b|json_extract/)).toEqual([]);
});

it('outside the store, only the engine choice names an engine; route handlers and the page never do', () => {
  const files = [path.join(SERVER), path.join(ROOT, 'app'), path.join(ROOT, 'components')]
    .flatMap((dir) => sourceFiles(dir, { tests: false }))
    .filter((file) => !insideEngine(file) && file !== path.join(SERVER, 'store', 'open-storage.ts'));
  expect(offending(files, /from\s+['"][^'"]*store\/(duckdb|clickhouse)\//)).toEqual([]);
});

it('no layer calls up: the store knows neither read models nor HTTP, the read models not HTTP, the query language none of them', () => {
  const below = (dir: string) => sourceFiles(path.join(SERVER, dir), { tests: false });
  expect(offending(below('store'), /from\s+['"](\.\.\/)+(read|http|auth)\//)).toEqual([]);
  expect(offending(below('read'), /from\s+['"](\.\.\/)+(http|auth)\//)).toEqual([]);
  expect(offending(below('query'), /from\s+['"](\.\.\/)+(read|http|auth|store|ingest)\//)).toEqual([]);
});
