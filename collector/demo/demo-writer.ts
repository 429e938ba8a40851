// Writes realistic container logs into a directory laid out like /var/log/containers, so that a
// laptop with no cluster still shows a full Discover page: a backfill of the last day at start
// (demo-backfill.ts), then live lines until stopped. Restarting on the same directory only fills
// the gap since the last lines, so the files stay in time order and a second `npm start` is cheap.

import { open, rename, type FileHandle } from 'node:fs/promises';
import { formatCri } from './cri-format';
import { burstServices, demoLogFiles, writeDemoBackfill, type DemoLogFile } from './demo-backfill';
import { DEMO_PODS, type DemoPod } from './demo-pods';
import { EventGenerator } from './line-generator';
import { hashSeed, mulberry32, type Rng } from './rng';
import { BURST_RATE_FACTOR, burstWindows, dayRhythm, rhythmMass } from './schedule';

export { writeDemoBackfill, type BackfillOptions, type BackfillResult } from './demo-backfill';

export interface DemoWriterOptions {
  /** Created if missing; one `<pod>_<namespace>_<container>-<id>.log` per container. */
  dir: string;
  now?: () => number;
  /** How far back the first start fills, and the longest gap a later start fills. */
  backfillHours?: number;
  /** Lines (entries) a full backfill writes across all files. */
  backfillLines?: number;
  /**
   * Live lines per second across all files on the day's average; the rate at a moment follows the
   * day rhythm, as the backfill's does. By default the backfill's own rate (a day's backfill of
   * 300,000 lines: 3.5 a second on average), so the histogram runs on from the backfill without a
   * step at the start. 0 writes no live lines.
   */
  linesPerSecond?: number;
  /** A live file reaching this size is rotated to `<name>.log.1`; DEMO_ROTATE_BYTES by default. */
  rotateBytes?: number;
  seed?: number;
  pods?: readonly DemoPod[];
  /** Called when a live write fails; live writing stops and `stop()` rejects with the error. */
  onError?: (err: Error) => void;
}

export interface DemoWriter {
  /** Entries the backfill of this start wrote: the full window at first, only the gap after. */
  backfilledLines: number;
  /** The files written, one per container. */
  files: string[];
  /** Stops live writing, waits for the write in flight, closes the files. */
  stop(): Promise<void>;
}

/** Live lines go out in small batches this often, like a busy cluster's, not one by one. */
const LIVE_TICK_MS = 200;
/** After a stall (a suspended laptop), catch up at most this many seconds of live lines. */
const LIVE_MAX_CATCH_UP_S = 2;

interface LiveTarget extends DemoLogFile {
  handle: FileHandle;
  events: EventGenerator;
  pending: string;
  /** Bytes this writer appended to the current file: it is rotated at `rotateBytes`, as the kubelet does. */
  size: number;
}

/** Lines a first start backfills over the last day, unless told otherwise. */
export const DEMO_BACKFILL_LINES = 300_000;

/** The kubelet's default containerLogMaxSize; one rotated file is kept, so the demo stays bounded. */
export const DEMO_ROTATE_BYTES = 10 * 1024 * 1024;

/** Renames the file to `<name>.log.1` (replacing the previous one) and starts a new one. */
async function rotate(target: LiveTarget): Promise<void> {
  await target.handle.close();
  await rename(target.path, `${target.path}.1`);
  target.handle = await open(target.path, 'a');
  target.size = 0;
}

/** Picks a target by weight, with the weight of a bursting service multiplied. */
function pickTarget(rng: Rng, targets: readonly LiveTarget[], bursting: ReadonlySet<string>): LiveTarget {
  let total = 0;
  for (const t of targets) total += t.container.weight * (bursting.has(t.container.service) ? BURST_RATE_FACTOR : 1);
  let x = rng() * total;
  for (const t of targets) {
    x -= t.container.weight * (bursting.has(t.container.service) ? BURST_RATE_FACTOR : 1);
    if (x < 0) return t;
  }
  return targets[targets.length - 1];
}

/** Backfills `dir`, then appends live lines stamped `now()` until `stop()`. */
export async function startDemoWriter(options: DemoWriterOptions): Promise<DemoWriter> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const pods = options.pods ?? DEMO_PODS;
  const rotateBytes = options.rotateBytes ?? DEMO_ROTATE_BYTES;
  const startedAt = now();
  const backfillHours = options.backfillHours ?? 24;
  const backfillLines = options.backfillLines ?? DEMO_BACKFILL_LINES;
  const backfill = await writeDemoBackfill({ dir: options.dir, now: startedAt, backfillHours, backfillLines, seed, pods });
  // With no backfill to go on from, the rate of the default one.
  const linesPerSecond = options.linesPerSecond ?? (backfill.linesPerSecond > 0 ? backfill.linesPerSecond : DEMO_BACKFILL_LINES / (24 * 3600));

  const targets: LiveTarget[] = [];
  try {
    for (const t of demoLogFiles(options.dir, pods)) {
      const handle = await open(t.path, 'a');
      targets.push({
        ...t,
        handle,
        // Counted from this start, not from the file's size: a backfill bigger than the limit
        // rotated at the first live line, before the collector beside us had read it.
        size: 0,
        events: new EventGenerator({
          kind: t.container.kind,
          service: t.container.service,
          namespace: t.pod.namespace,
          seed: hashSeed(seed, t.container.id, 'live', startedAt),
          after: backfill.last.get(t.path),
        }),
        pending: '',
      });
    }
  } catch (err) {
    await Promise.all(targets.map((t) => t.handle.close()));
    throw err;
  }

  const rng = mulberry32(hashSeed(seed, 'live', startedAt));
  const services = burstServices(targets);
  let lastTick = startedAt;
  let owed = 0;
  let failure: Error | undefined;
  let inFlight: Promise<void> | undefined;

  async function tick(): Promise<void> {
    const t = now();
    const since = Math.max(lastTick, t - LIVE_MAX_CATCH_UP_S * 1000);
    owed = Math.min(owed + (linesPerSecond * rhythmMass(lastTick, t)) / 1000, linesPerSecond * dayRhythm(t) * LIVE_MAX_CATCH_UP_S);
    lastTick = t;
    const n = Math.floor(owed);
    if (n === 0) return;
    owed -= n;
    const bursting = new Set(burstWindows(seed, services, t, t).map((b) => b.target));
    for (let i = 0; i < n; i++) {
      const target = pickTarget(rng, targets, bursting);
      // Spread over the moments since the last tick, as if each line had been written when it happened.
      const at = since + ((i + rng()) / n) * (t - since);
      for (const record of target.events.event(at, bursting.has(target.container.service))) target.pending += formatCri(record);
    }
    await Promise.all(
      targets
        .filter((target) => target.pending)
        .map((target) => {
          const text = target.pending;
          target.pending = '';
          target.size += Buffer.byteLength(text);
          return target.handle.appendFile(text).then(() => (target.size >= rotateBytes ? rotate(target) : undefined));
        }),
    );
  }

  const timer =
    linesPerSecond > 0
      ? setInterval(() => {
          // One tick at a time: behind a slow disk the next tick writes more lines, not in parallel.
          if (inFlight || failure) return;
          inFlight = tick()
            .catch((err: unknown) => {
              failure = err instanceof Error ? err : new Error(String(err));
              clearInterval(timer);
              options.onError?.(failure);
            })
            .finally(() => {
              inFlight = undefined;
            });
        }, LIVE_TICK_MS)
      : undefined;

  let stopped: Promise<void> | undefined;
  return {
    backfilledLines: backfill.lines,
    files: backfill.files,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await inFlight;
        await Promise.all(targets.map((t) => t.handle.close()));
        if (failure) throw failure;
      })();
      return stopped;
    },
  };
}
