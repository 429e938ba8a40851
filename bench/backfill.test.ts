import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusSpan, DAY_MS, HOUR_MS, markdownTable, writeCriCorpus } from './backfill';
import { RARE } from './rare-token';

const NOW = Date.UTC(2026, 10, 25, 12, 34, 56, 789);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpond-backfill-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('corpusSpan', () => {
  it('ends now and covers the span asked when it stays inside the default retention', () => {
    expect(corpusSpan(24 * HOUR_MS, NOW)).toEqual({ from: NOW - DAY_MS, to: NOW });
    expect(corpusSpan(6 * DAY_MS, NOW)).toEqual({ from: NOW - 6 * DAY_MS, to: NOW });
  });

  it('starts a week (or more) at the first whole hour inside the 7-day retention', () => {
    const { from, to } = corpusSpan(7 * DAY_MS, NOW);
    expect(to).toBe(NOW);
    expect(new Date(from).toISOString()).toBe('2026-11-18T13:00:00.000Z');
    expect(corpusSpan(30 * DAY_MS, NOW).from).toBe(from);
  });
});

describe('writeCriCorpus', () => {
  it('writes the corpus under kubelet file names, counting lines, bytes and planted tokens as grep would', async () => {
    const logDir = join(dir, 'logs');
    const corpus = writeCriCorpus({ logDir, lines: 3_000, files: 12, from: NOW - 2 * HOUR_MS, to: NOW, plantRare: true });
    const names = await readdir(logDir);
    expect(names.sort()).toEqual(corpus.files.map((f) => f.slice(logDir.length + 1)).sort());
    for (const name of names) expect(name).toMatch(/^[a-z0-9.-]+_[a-z0-9-]+_[a-z0-9-]+-[0-9a-f]{64}\.log$/);
    const texts = await Promise.all(corpus.files.map((f) => readFile(f, 'utf8')));
    const lines = texts.flatMap((t) => t.split('\n').slice(0, -1));
    expect(corpus.entries).toBe(3_000);
    expect(corpus.physicalLines).toBe(lines.length);
    expect(corpus.rawBytes).toBe(texts.reduce((n, t) => n + Buffer.byteLength(t), 0));
    expect(corpus.rare).toBe(lines.filter((l) => l.includes(RARE)).length);
    expect(corpus.rare).toBeGreaterThanOrEqual(90);
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) [PF] /);
  });
});

describe('markdownTable', () => {
  it('escapes pipes inside cells', () => {
    expect(markdownTable(['a', 'b'], [['x|y', '1']])).toBe('| a | b |\n|---|---|\n| x\\|y | 1 |');
  });
});
