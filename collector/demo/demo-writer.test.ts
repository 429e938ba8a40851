import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_PODS } from './demo-pods';
import { startDemoWriter, type DemoWriter } from './demo-writer';
import { dayRhythm, HOUR_MS, MINUTE_MS } from './schedule';

const NOW = Date.UTC(2026, 10, 25, 12);
const KUBELET_NAME = /^([a-z0-9.-]+)_([a-z0-9-]+)_([a-z0-9-]+)-([0-9a-f]{64})\.log$/;
const CRI_LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (stdout|stderr) ([PF]) /;
const CONTAINERS = DEMO_PODS.flatMap((p) => p.containers.map((c) => ({ pod: p, container: c })));

let dir: string;
let writers: DemoWriter[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpond-demo-'));
  writers = [];
});

afterEach(async () => {
  await Promise.all(writers.map((w) => w.stop()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: { now: () => number; backfillHours?: number; backfillLines?: number; linesPerSecond?: number; rotateBytes?: number }): Promise<DemoWriter> {
  const writer = await startDemoWriter({ dir, backfillHours: 2, backfillLines: 3000, linesPerSecond: 0, seed: 3, ...options });
  writers.push(writer);
  return writer;
}

async function readAll(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const name of await readdir(dir)) files.set(name, await readFile(join(dir, name), 'utf8'));
  return files;
}

/** Timestamps of the entries (F lines) of a file. */
function entryTimes(content: string): string[] {
  return content
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const m = CRI_LINE.exec(line);
      expect(m, line.slice(0, 100)).not.toBeNull();
      return m!;
    })
    .filter((m) => m[3] === 'F')
    .map((m) => m[1]);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '000000Z');

describe('startDemoWriter', () => {
  it('backfills one file per container, named as the kubelet names them, in time order', async () => {
    const writer = await start({ now: () => NOW });
    expect(writer.backfilledLines).toBe(3000);

    const files = await readAll();
    expect(files.size).toBe(CONTAINERS.length);
    for (const { pod, container } of CONTAINERS) {
      const name = `${pod.name}_${pod.namespace}_${container.name}-${container.id}.log`;
      expect(KUBELET_NAME.exec(name)?.slice(1)).toEqual([pod.name, pod.namespace, container.name, container.id]);
      expect(files.has(name), name).toBe(true);
    }

    let total = 0;
    for (const [name, content] of files) {
      const times = entryTimes(content);
      total += times.length;
      expect(times.length, name).toBeGreaterThan(0);
      expect([...times].sort(), name).toEqual(times);
      expect(times[0] >= iso(NOW - 2 * HOUR_MS), name).toBe(true);
      expect(times[times.length - 1] <= iso(NOW), name).toBe(true);
    }
    expect(total).toBe(3000);
  });

  it('on a second start fills only the gap since the last lines, leaving what is there untouched', async () => {
    await (await start({ now: () => NOW })).stop();
    const before = await readAll();

    const writer = await start({ now: () => NOW + 10 * MINUTE_MS });
    // Ten minutes of a two-hour window: about 1/12 of 3000, more or less with the afternoon rhythm.
    expect(writer.backfilledLines).toBeGreaterThan(100);
    expect(writer.backfilledLines).toBeLessThan(600);

    const after = await readAll();
    let added = 0;
    for (const [name, old] of before) {
      const now = after.get(name)!;
      expect(now.startsWith(old), name).toBe(true);
      const oldTimes = entryTimes(old);
      const newTimes = entryTimes(now.slice(old.length));
      added += newTimes.length;
      for (const t of newTimes) {
        expect(t > oldTimes[oldTimes.length - 1], name).toBe(true);
        expect(t <= iso(NOW + 10 * MINUTE_MS), name).toBe(true);
      }
    }
    expect(added).toBe(writer.backfilledLines);

    // With no time passed there is next to nothing to fill: only the moments since the newest line.
    const again = await start({ now: () => NOW + 10 * MINUTE_MS });
    expect(again.backfilledLines).toBeLessThan(30);
  });

  it('ends a line torn by a crash before appending, so no entry is glued onto it', async () => {
    await (await start({ now: () => NOW })).stop();
    const name = (await readdir(dir)).find((n) => n.startsWith('checkout-'))!;
    await appendFile(join(dir, name), '2026-11-25T12:00:00.000000001Z stdout F {"level":"info","msg":"half a li');

    await (await start({ now: () => NOW + 30 * MINUTE_MS })).stop();
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    const torn = lines.findIndex((l) => l.endsWith('half a li'));
    expect(torn).toBeGreaterThan(0);
    expect(lines[torn + 1]).toMatch(CRI_LINE);
  });

  it('appends live lines stamped with the current time until stopped', async () => {
    let now = NOW;
    const writer = await start({ now: () => now, backfillLines: 200, linesPerSecond: 50 });
    const sizeOf = async () => (await Promise.all(writer.files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    const backfilled = await readAll();
    const backfilledSize = await sizeOf();

    now += 1000;
    await vi.waitFor(async () => expect(await sizeOf()).toBeGreaterThan(backfilledSize), { timeout: 10_000, interval: 50 });
    await writer.stop();

    let live = 0;
    for (const [name, content] of await readAll()) {
      const times = entryTimes(content.slice(backfilled.get(name)!.length));
      live += times.length;
      for (const t of times) expect(t > iso(NOW - 1) && t <= iso(NOW + 1000), name).toBe(true);
    }
    // One second at 50 lines per second on the day's average, at this hour's share of it.
    expect(live).toBe(Math.floor(50 * dayRhythm(NOW)));
  });

  it('with no rate given, goes on at the rate of the backfill before it: the histogram shows no step at the start', async () => {
    // 3,600 lines in the last 6 minutes: 200 in 20 s.
    let now = NOW;
    const writer = await start({ now: () => now, backfillHours: 0.1, backfillLines: 3_600, linesPerSecond: undefined });
    const backfilled = await readAll();
    const lastSeconds = [...backfilled.values()].flatMap(entryTimes).filter((t) => t > iso(NOW - 20_000)).length;

    const sizeOf = async () => (await Promise.all(writer.files.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    for (let step = 0; step < 10; step++) {
      // Each two seconds written before the next: a longer jump than the catch-up limit drops lines.
      const size = await sizeOf();
      now += 2000;
      await vi.waitFor(async () => expect(await sizeOf()).toBeGreaterThan(size), { timeout: 10_000, interval: 20 });
    }
    await writer.stop();
    let live = 0;
    for (const [name, content] of await readAll()) live += entryTimes(content.slice(backfilled.get(name)!.length)).length;
    // About 200 either side, where 25 lines a second (the old default) wrote 500.
    expect(Math.abs(live - lastSeconds) / lastSeconds, `${live} live lines in the first 20 s, ${lastSeconds} in the backfill's last`).toBeLessThan(0.2);
  });

  it('with no backfill and no rate given, still writes live lines, at the default backfill\'s rate', async () => {
    let now = NOW;
    const writer = await start({ now: () => now, backfillLines: 0, linesPerSecond: undefined });
    now += 2000;
    await vi.waitFor(async () => expect([...(await readAll()).values()].flatMap(entryTimes).length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
    await writer.stop();
    // 300,000 a day is 3.5 a second on average, half as much again at noon.
    expect([...(await readAll()).values()].flatMap(entryTimes).length).toBe(Math.floor((2 * 300_000 * dayRhythm(NOW)) / 86_400));
  });

  it('rotates a live file past its size limit to <name>.log.1, as the kubelet does, splitting no line', async () => {
    const started = Date.now();
    const writer = await start({ now: () => NOW + Date.now() - started, backfillLines: 0, linesPerSecond: 5000, rotateBytes: 4096 });
    const rotated = async () => (await readdir(dir)).filter((name) => name.endsWith('.log.1'));
    await vi.waitFor(async () => expect((await rotated()).length).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    await writer.stop();
    const files = await readAll();
    for (const name of await rotated()) {
      const current = name.slice(0, -2);
      expect(files.has(current), current).toBe(true);
      for (const content of [files.get(name)!, files.get(current)!]) {
        if (content === '') continue;
        expect(content.endsWith('\n')).toBe(true);
        entryTimes(content); // every line is a whole CRI line
      }
      const lastRotated = entryTimes(files.get(name)!).at(-1)!;
      const firstCurrent = entryTimes(files.get(current)!)[0];
      if (firstCurrent) expect(firstCurrent >= lastRotated).toBe(true);
    }
  });
});
