// server/ is plain TypeScript: the store, ingest and read models run in Vitest, bench scripts and
// (one day) behind another front end, so they must not pull in React or Next.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const SERVER = import.meta.dirname;
const FORBIDDEN = /from\s+['"](react|react-dom|next|server-only)(\/[^'"]*)?['"]|import\s+['"](next|server-only)(\/[^'"]*)?['"]/;

it('server/ imports neither React nor Next', () => {
  const offenders: string[] = [];
  for (const entry of fs.readdirSync(SERVER, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|mjs)$/.test(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (FORBIDDEN.test(line)) offenders.push(`${path.relative(SERVER, file)}:${i + 1}: ${line.trim()}`);
      });
  }
  expect(offenders).toEqual([]);
});

it('the store does not decode batches: its journal replays through the hook ingest gives it', () => {
  const DECODER = /from\s+['"]\.\.\/ingest\/(decode-batch|decode-pool|decode-worker|journal-replay|validate-batch|extract[^'"]*)['"]/;
  const store = path.join(SERVER, 'store');
  const offenders = fs
    .readdirSync(store)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .flatMap((name) =>
      fs
        .readFileSync(path.join(store, name), 'utf8')
        .split('\n')
        .filter((line) => DECODER.test(line))
        .map((line) => `store/${name}: ${line.trim()}`),
    );
  expect(offenders).toEqual([]);
});
