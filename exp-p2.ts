import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, listValue } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run('LOAD parquet'); await c.run('SET GLOBAL parquet_metadata_cache = true');
const root = '/tmp/logpond-bench-query/data/segments';
const toks: string[] = [];
for (const d of fs.readdirSync(root)) for (const f of fs.readdirSync(path.join(root, d))) if (f.endsWith('.tokens')) toks.push(path.join(root, d, f));
console.log(toks.length, 'token files', toks.reduce((n, f) => n + fs.statSync(f).size, 0) / 1e6, 'MB');
async function t(label: string, sql: string, params: any = {}) {
  let best = 1e9; let out: unknown;
  for (let i = 0; i < 4; i++) { const s = performance.now(); out = (await c.runAndReadAll(sql, params)).getRowObjectsJS().length; best = Math.min(best, performance.now() - s); }
  console.log(label.padEnd(40), best.toFixed(1), 'ms', out);
}
await t('lookup rg16384', `SELECT filename, lo, hi FROM read_parquet($f, filename=true) WHERE token >= $k AND token < $k || '~'`, { f: listValue(toks), k: '7f3a9c21e0d4b5' });
await t('lookup exact rg16384', `SELECT filename, lo, hi FROM read_parquet($f, filename=true) WHERE token = $k`, { f: listValue(toks), k: 'req' });
fs.rmSync('/tmp/tok2', { recursive: true, force: true }); fs.mkdirSync('/tmp/tok2');
const t2: string[] = [];
for (const [i, f] of toks.entries()) { const o = `/tmp/tok2/${i}.tokens`; await c.run(`COPY (SELECT * FROM read_parquet('${f}')) TO '${o}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 2048)`); t2.push(o); }
await t('lookup rg2048', `SELECT filename, lo, hi FROM read_parquet($f, filename=true) WHERE token >= $k AND token < $k || '~'`, { f: listValue(t2), k: '7f3a9c21e0d4b5' });
await c.run(`COPY (SELECT * FROM read_parquet($f) ORDER BY token) TO '/tmp/tok2/all.tokens' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 8192)`, { f: listValue(toks) });
await t('lookup one file', `SELECT lo, hi FROM read_parquet('/tmp/tok2/all.tokens') WHERE token >= $k AND token < $k || '~'`, { k: '7f3a9c21e0d4b5' });
await t('contains one file', `SELECT lo, hi FROM read_parquet('/tmp/tok2/all.tokens') WHERE contains(token, $k)`, { k: '7f3a9c21e0d4b5' });
console.log('all tokens size', fs.statSync('/tmp/tok2/all.tokens').size / 1e6);
