import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PODS } from '../collector/demo/demo-pods';
import { corpusFiles, corpusRecords, writeCorpus, type CorpusOptions } from './corpus';

const TO = Date.UTC(2026, 10, 25, 12);
const OPTIONS: CorpusOptions = { lines: 4000, files: 40, seed: 5, from: TO - 6 * 3_600_000, to: TO };
const KUBELET_NAME = /^([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-([0-9a-f]{64})\.log$/;

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpond-corpus-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('corpusFiles', () => {
  it('synthesizes distinct pods and containers beyond the demo cluster', () => {
    const files = corpusFiles(200, 42);
    expect(files).toHaveLength(200);
    expect(new Set(files.map((f) => f.name)).size).toBe(200);
    expect(new Set(files.map((f) => f.containerId)).size).toBe(200);
    expect(new Set(files.map((f) => f.namespace)).size).toBeGreaterThan(10);
    const demoPods = new Set(DEMO_PODS.map((p) => p.name));
    expect(files.filter((f) => !demoPods.has(f.pod)).length).toBeGreaterThan(150);
    for (const f of files) expect(KUBELET_NAME.exec(f.name)?.slice(1)).toEqual([f.pod, f.namespace, f.container, f.containerId]);
    expect(corpusFiles(200, 42)).toEqual(files);
  });
});

describe('corpusRecords', () => {
  it('yields exactly `lines` entries in time order, each with its file offset', () => {
    const entries = [...corpusRecords(OPTIONS)];
    expect(entries).toHaveLength(4000);
    const next = new Map<string, number>();
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (i > 0) expect(e.ts >= entries[i - 1].ts).toBe(true);
      expect(e.offset).toBe(next.get(e.file.name) ?? 0);
      next.set(e.file.name, e.offset + e.bytes);
      expect(e.line.startsWith(`${e.ts} ${e.stream} `)).toBe(true);
      expect(e.bytes).toBe(Buffer.byteLength(e.line));
    }
    expect(entries[0].ts >= new Date(OPTIONS.from!).toISOString().slice(0, 19)).toBe(true);
  });

  it('is deterministic for its options', () => {
    const a = [...corpusRecords({ ...OPTIONS, lines: 500 })].map((e) => e.line);
    const b = [...corpusRecords({ ...OPTIONS, lines: 500 })].map((e) => e.line);
    const c = [...corpusRecords({ ...OPTIONS, lines: 500, seed: 6 })].map((e) => e.line);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});

describe('writeCorpus', () => {
  it('writes the same entries at the offsets corpusRecords reports', async () => {
    const written = await writeCorpus({ ...OPTIONS, dir });
    expect(written.lines).toBe(4000);
    expect(written.files).toHaveLength(40);
    expect((await readdir(dir)).sort()).toEqual(written.files.map((f) => f.slice(dir.length + 1)).sort());

    const contents = new Map<string, Buffer>();
    for (const path of written.files) contents.set(path.slice(dir.length + 1), await readFile(path));
    expect([...contents.values()].reduce((sum, b) => sum + b.length, 0)).toBe(written.bytes);
    for (const e of corpusRecords(OPTIONS)) {
      const bytes = contents.get(e.file.name)!;
      expect(bytes.subarray(e.offset, e.offset + e.bytes).toString('utf8')).toBe(e.line);
    }
  });
});
