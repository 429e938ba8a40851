// Components reach the server only through the data module (queries.ts): one place that turns
// error bodies into ApiErrors and that a test can read to know every request the page makes.
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const COMPONENTS = import.meta.dirname;

it('only the data module fetches or opens a stream', () => {
  const offenders = fs
    .readdirSync(COMPONENTS)
    .filter((name) => /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && name !== 'queries.ts')
    .flatMap((name) =>
      fs
        .readFileSync(path.join(COMPONENTS, name), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\bfetch\(|new EventSource\(|XMLHttpRequest|sendBeacon\(/.test(line) ? [`${name}:${i + 1}: ${line.trim()}`] : [])),
    );
  expect(offenders).toEqual([]);
});
