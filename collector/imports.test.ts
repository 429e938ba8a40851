// The collector runs as its own process on every node: it may use common/ and its own files,
// never the server, the app or the UI (they would drag DuckDB and Next into the DaemonSet).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const collectorDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.dirname(collectorDir);
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe('collector imports', () => {
  it('reach only collector/, common/ and packages', () => {
    const outside: string[] = [];
    // Tests and their support code run in the test process, never in the bundle (they start it).
    const shipped = sourceFiles(collectorDir).filter((file) => !file.endsWith('.test.ts') && !file.includes(`${path.sep}test-support${path.sep}`));
    for (const file of shipped) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = match[1] ?? match[2];
        let target: string;
        if (specifier.startsWith('.')) target = path.resolve(path.dirname(file), specifier);
        else if (specifier.startsWith('@/')) target = path.resolve(rootDir, specifier.slice(2));
        else continue; // a package
        const relative = path.relative(rootDir, target).split(path.sep)[0];
        if (relative !== 'collector' && relative !== 'common') {
          outside.push(`${path.relative(rootDir, file)} → ${specifier}`);
        }
      }
    }
    expect(outside).toEqual([]);
  });
});
