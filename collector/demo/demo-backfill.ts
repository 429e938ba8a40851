// The demo writer's backfill: the last hours of every demo container's log, written fast at
// start. On a directory that already has the files it fills only the gap since the last lines,
// so the files stay in time order and a second `npm start` is cheap.

import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { BufferedFileWriter } from './buffered-writer';
import { formatCri } from './cri-format';
import { DEMO_PODS, demoLogFileName, type DemoContainer, type DemoPod } from './demo-pods';
import { readFileTail } from './file-tail';
import { generateRecords, type LogRecord } from './line-generator';
import { hashSeed } from './rng';
import { apportion, burstWindows, HOUR_MS, rhythmMass, type Burst } from './schedule';

/** A demo container and where its log file goes. */
export interface DemoLogFile {
  pod: DemoPod;
  container: DemoContainer;
  path: string;
}

/** Sidecars and tiny helpers follow their service's bursts rather than having their own. */
const MIN_BURST_WEIGHT = 0.5;

/** One log file per container of `pods`, under `dir`. */
export function demoLogFiles(dir: string, pods: readonly DemoPod[]): DemoLogFile[] {
  return pods.flatMap((pod) => pod.containers.map((container) => ({ pod, container, path: join(dir, demoLogFileName(pod, container)) })));
}

/** Services that may have an error burst; a burst covers all of a service's containers. */
export function burstServices(targets: readonly DemoLogFile[]): string[] {
  return [...new Set(targets.filter((t) => t.container.weight >= MIN_BURST_WEIGHT).map((t) => t.container.service))].sort();
}

function burstsOf(bursts: readonly Burst[], service: string): Burst[] {
  return bursts.filter((b) => b.target === service);
}

export interface BackfillOptions {
  dir: string;
  now: number;
  backfillHours: number;
  backfillLines: number;
  seed: number;
  pods?: readonly DemoPod[];
}

export interface BackfillResult {
  lines: number;
  files: string[];
  /** Time of the last line in each file after the backfill, for the live writer to continue from. */
  last: Map<string, { ts: number; nanos: number }>;
  /** Lines a second of the day's average traffic that the backfill spread (`dayRhythm` scales it). */
  linesPerSecond: number;
}

/**
 * Fills each file from where the previous writer stopped (or from `backfillHours` ago for a new
 * file) up to `now`. Line counts follow the day rhythm: a 10-minute gap gets about 10 minutes'
 * worth of lines.
 */
export async function writeDemoBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const { dir, now, seed } = options;
  await mkdir(dir, { recursive: true });
  const targets = demoLogFiles(dir, options.pods ?? DEMO_PODS);
  const windowStart = now - options.backfillHours * HOUR_MS;
  // Lines per unit of rhythm mass, such that a full window holds `backfillLines`.
  const density = options.backfillLines / Math.max(1, rhythmMass(windowStart, now));
  const totalWeight = targets.reduce((sum, t) => sum + t.container.weight, 0);
  const bursts = burstWindows(seed, burstServices(targets), windowStart, now);

  const tails = await Promise.all(targets.map((t) => readFileTail(t.path)));
  // The previous writer wrote every file up to its last moment; a file whose last line is older
  // was merely quiet. Filling each file from its own last line would add lines to spans already
  // decided empty, so every existing file resumes from the newest line of all. (The cost: a writer
  // killed mid-backfill leaves the files it had not reached with a hole; deleting them refills them.)
  const coveredUntil = Math.max(-Infinity, ...tails.map((tail) => tail?.last?.ts ?? -Infinity));
  // The trace lines of an event follow it by microseconds; ending 1 ms early keeps them before `now`.
  const end = now - 1;
  const spans = tails.map((tail) => ({ from: Math.max(windowStart, tail?.last ? coveredUntil + 1 : -Infinity), to: end }));
  const expected = spans.map((span, i) => density * rhythmMass(span.from, span.to) * (targets[i].container.weight / totalWeight));
  const counts = apportion(expected.reduce((a, b) => a + b, 0), expected);

  const last = new Map<string, { ts: number; nanos: number }>();
  let lines = 0;
  for (let i = 0; i < targets.length; i++) {
    const { pod, container, path } = targets[i];
    const tail = tails[i];
    if (tail?.last) last.set(path, tail.last);
    const handle = await open(path, 'a');
    try {
      const writer = new BufferedFileWriter(handle);
      // A writer killed mid-line left a torn line; end it, or the first new line would be glued on.
      if (tail && !tail.endsWithNewline) writer.write('\n');
      if (counts[i] > 0) {
        const records = generateRecords({
          kind: container.kind,
          service: container.service,
          namespace: pod.namespace,
          seed: hashSeed(seed, container.id, spans[i].from),
          from: spans[i].from,
          to: spans[i].to,
          count: counts[i],
          bursts: burstsOf(bursts, container.service),
          after: tail?.last,
        });
        let latest: LogRecord | undefined;
        for (const record of records) {
          const full = writer.write(formatCri(record));
          if (full) await full;
          latest = record;
          lines++;
        }
        if (latest) last.set(path, { ts: latest.ts, nanos: latest.nanos });
      }
      await writer.drain();
    } finally {
      await handle.close();
    }
  }
  return { lines, files: targets.map((t) => t.path), last, linesPerSecond: density * 1000 };
}
