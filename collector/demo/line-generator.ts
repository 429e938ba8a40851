// Fake log events for one container: the kind decides the format, this file decides when events
// happen, how severe they are, and keeps each stream's timestamps non-decreasing. A multi-line
// event (a stack trace) comes out as several records, one per physical line, as a container
// runtime writes them.

import type { Stream } from '../../common/ingest-batch';
import { coredns } from './kinds/coredns';
import type { ContainerKind, Emit, KindWriter, Level } from './kinds/emit';
import { envoy } from './kinds/envoy';
import { goLogfmt } from './kinds/go-logfmt';
import { java } from './kinds/java';
import { klog } from './kinds/klog';
import { nginxIngress } from './kinds/nginx-ingress';
import { postgres } from './kinds/postgres';
import { prometheus } from './kinds/prometheus';
import { pythonWorker } from './kinds/python-worker';
import { webJson } from './kinds/web-json';
import { hashSeed, int, mulberry32, type Rng } from './rng';
import { TimePlacer, type TimeWindow } from './schedule';

export type { ContainerKind, Level } from './kinds/emit';

/** One physical line as a container runtime receives it; `text` never contains a newline. */
export interface LogRecord {
  /** Epoch milliseconds (integer). */
  ts: number;
  /** Nanoseconds past `ts` (0–999999), for the sub-millisecond digits of a CRI timestamp. */
  nanos: number;
  stream: Stream;
  text: string;
}

const WRITERS: Record<ContainerKind, KindWriter> = {
  'web-json': webJson,
  'go-logfmt': goLogfmt,
  java,
  'python-worker': pythonWorker,
  'nginx-ingress': nginxIngress,
  envoy,
  klog,
  coredns,
  postgres,
  prometheus,
};

export const CONTAINER_KINDS = Object.keys(WRITERS) as ContainerKind[];

/** Mostly info; errors rare enough that an error burst stands out on the histogram. */
const NORMAL_MIX = { debug: 0.08, warn: 0.06, error: 0.02 };
/** A failing service: most lines are errors, the rest retries and the odd success. */
const BURST_MIX = { debug: 0.01, warn: 0.2, error: 0.65 };

/**
 * Chance that an event is one 20–40 KB line (a dumped payload): rare in life, but every one
 * exceeds containerd's 16 KiB limit and so arrives as partial (`P`) lines the collector must join.
 */
export const DEFAULT_LONG_LINE_RATE = 1 / 20_000;
const LONG_LINE_MIN_BYTES = 20_000;
const LONG_LINE_MAX_BYTES = 40_000;

/** Successive physical lines of one event are this far apart at most, as a runtime would stamp them. */
const LINE_STEP_MAX_NANOS = 20_000;

/** Base64 of random bytes, like the dumped bodies and blobs that make lines this long. */
function payload(rng: Rng): string {
  const length = int(rng, LONG_LINE_MIN_BYTES, LONG_LINE_MAX_BYTES);
  const bytes = Buffer.allocUnsafe(Math.ceil((length * 3) / 4 / 4) * 4);
  for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((rng() * 4294967296) >>> 0, i);
  return bytes.toString('base64').slice(0, length);
}

export interface EventGeneratorOptions {
  kind: ContainerKind;
  /** The workload's name (`checkout`); paths, classes and task names follow it. */
  service: string;
  namespace: string;
  seed: number;
  longLineRate?: number;
  /** Time of the last line already in the file: nothing is written before it. */
  after?: { ts: number; nanos: number };
}

/** Writes events for one container stream, one at a time, never going back in time. */
export class EventGenerator implements Emit {
  readonly rng: Rng;
  readonly service: string;
  readonly namespace: string;
  ts = 0;
  nanos = 0;
  private readonly writer: KindWriter;
  private readonly longLineRate: number;
  private out: LogRecord[] = [];
  private cursorTs = 0;
  private cursorNanos = 0;
  private lastTs = -Infinity;
  private lastNanos = 0;

  constructor(options: EventGeneratorOptions) {
    this.writer = WRITERS[options.kind];
    if (!this.writer) throw new Error(`unknown container kind: ${options.kind}`);
    this.rng = mulberry32(hashSeed(options.seed, options.kind, options.service));
    this.service = options.service;
    this.namespace = options.namespace;
    this.longLineRate = options.longLineRate ?? DEFAULT_LONG_LINE_RATE;
    if (options.after) {
      this.lastTs = options.after.ts;
      this.lastNanos = options.after.nanos;
    }
  }

  /** The time of the last line written, so a caller can resume after it. */
  get last(): { ts: number; nanos: number } | undefined {
    return this.lastTs === -Infinity ? undefined : { ts: this.lastTs, nanos: this.lastNanos };
  }

  /**
   * One event at epoch ms `t` (a fraction of a millisecond becomes sub-ms digits); `burst` says
   * the service is failing now. Returns its physical lines; an event before the previous one is
   * moved just after it, so that a file's timestamps never decrease.
   */
  event(t: number, burst = false): LogRecord[] {
    let ts = Math.floor(t);
    let nanos = Math.floor((t - ts) * 1e6);
    if (ts < this.lastTs || (ts === this.lastTs && nanos <= this.lastNanos)) {
      ts = this.lastTs;
      nanos = this.lastNanos + 1;
      if (nanos >= 1e6) {
        ts++;
        nanos -= 1e6;
      }
    }
    this.ts = this.cursorTs = ts;
    this.nanos = this.cursorNanos = nanos;
    this.out = [];
    if (this.writer.long && this.rng() < this.longLineRate) this.writer.long(this, payload(this.rng));
    else this.writer.event(this, this.level(burst), burst);
    const last = this.out[this.out.length - 1];
    if (last) {
      this.lastTs = last.ts;
      this.lastNanos = last.nanos;
    }
    return this.out;
  }

  line(text: string, stream: Stream): void {
    this.out.push({ ts: this.cursorTs, nanos: this.cursorNanos, stream, text });
    this.cursorNanos += 1 + ((this.rng() * LINE_STEP_MAX_NANOS) | 0);
    if (this.cursorNanos >= 1e6) {
      this.cursorTs++;
      this.cursorNanos -= 1e6;
    }
  }

  private level(burst: boolean): Level {
    const mix = burst ? BURST_MIX : NORMAL_MIX;
    const x = this.rng();
    if (x < mix.error) return 'error';
    if (x < mix.error + mix.warn) return 'warn';
    if (x < mix.error + mix.warn + mix.debug) return this.writer.hasDebug ? 'debug' : 'info';
    return 'info';
  }
}

export interface SpanOptions extends EventGeneratorOptions {
  /** Epoch ms; records fall in [from, to] (a trace's later lines may pass `to` by under a millisecond). */
  from: number;
  to: number;
  /** Exactly this many records (physical lines); the last event is cut short if need be. */
  count: number;
  /** Windows (sorted by `from`) where this stream fails: denser lines, mostly errors. */
  bursts?: readonly TimeWindow[];
}

/**
 * `count` records of one container over [from, to], in non-decreasing time, their density
 * following the day rhythm and the bursts. Lazy, so a corpus of millions never sits in memory.
 */
export function* generateRecords(options: SpanOptions): Generator<LogRecord, void, undefined> {
  const { from, to, count } = options;
  const bursts = options.bursts ?? [];
  const events = new EventGenerator(options);
  const placer = new TimePlacer(from, to, bursts);
  const jitter = mulberry32(hashSeed(options.seed, options.service, 'placement'));
  let emitted = 0;
  let b = 0;
  while (emitted < count) {
    // Stratified: record i lands in the i-th of `count` equal slices of traffic, so the times come
    // out sorted without sorting, and a multi-line event uses up one slice per line.
    const t = placer.at((emitted + jitter()) / count);
    while (b < bursts.length && bursts[b].to < t) b++;
    const burst = b < bursts.length && bursts[b].from <= t;
    for (const record of events.event(t, burst)) {
      if (emitted === count) return;
      emitted++;
      yield record;
    }
  }
}
