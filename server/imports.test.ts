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
