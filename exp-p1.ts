import fs from 'node:fs';
import { LogStore } from './server/store/log-store';
import { Reader } from './server/read/snapshot';
import { scanOf } from './server/read/scan';
import { candidateBlocks } from './server/read/token-lookup';
import { compileQuery } from './server/query/compile';
import { parseQuery } from './server/query/parse';
const m = JSON.parse(fs.readFileSync('/tmp/logpond-bench-query/manifest.json', 'utf8'));
const store = await LogStore.open({ dataDir: '/tmp/logpond-bench-query/data', retentionMs: null, maxDiskBytes: null, background: false });
const reader = new Reader(store, 60000);
const range = { fromUs: BigInt(m.from) * 1000n, toUs: BigInt(m.to) * 1000n };
async function time(label: string, fn: () => Promise<unknown>) {
  let best = 1e9; let out;
  for (let i = 0; i < 4; i++) { const s = performance.now(); out = await fn(); best = Math.min(best, performance.now() - s); }
  console.log(label.padEnd(50), best.toFixed(1), 'ms', typeof out === 'number' ? out : '');
}
for (const q of ['req-7f3a9c21e0d4b5', 'error', 'connection', '7f3a9c21e0d4b5']) {
  const f = compileQuery(parseQuery(`"${q}"`));
  await time(`${q}: lookup`, () => reader.read(async (s) => { const c = await candidateBlocks(s, f.requiredText!); return c ? [...c.values()].reduce((n, r) => n + r.length, 0) : -1; }));
  await time(`${q}: count`, () => reader.read(async (s) => { const sc = await scanOf(s, range, f); return Number((await s.rows(`SELECT count(*) n FROM ${sc.from} WHERE ${sc.where}`, sc.params))[0].n); }));
  const noidx = { ...f, requiredText: undefined };
  await time(`${q}: count without index`, () => reader.read(async (s) => { const sc = await scanOf(s, range, noidx); return Number((await s.rows(`SELECT count(*) n FROM ${sc.from} WHERE ${sc.where}`, sc.params))[0].n); }));
}
await store.close();
