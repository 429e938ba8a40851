// What every log "kind" (a family of formats a real workload writes) is given to write one event.

import type { Stream } from '../../../common/ingest-batch';
import type { Rng } from '../rng';

export type ContainerKind =
  /** Node web API: one JSON object per line, `level` as a word, nested `user.id`, stacks escaped inline. */
  | 'web-json'
  /** Go service: logfmt on stderr; net/http's recovered panics print goroutine stacks. */
  | 'go-logfmt'
  /** Spring-style Java service: logback lines, multi-line stack traces with `Caused by:`. */
  | 'java'
  /** Celery worker: Python logging on stderr, `Traceback (most recent call last):` blocks. */
  | 'python-worker'
  /** ingress-nginx controller: access log on stdout, nginx error log and klog on stderr. */
  | 'nginx-ingress'
  /** istio-proxy sidecar: Envoy access log on stdout, the agent's tab-separated log on stderr. */
  | 'envoy'
  /** Kubernetes component (kube-proxy): klog `I1125 12:00:00.123456       1 file.go:123] ...`. */
  | 'klog'
  /** CoreDNS: `[INFO] 10.244.1.5:51234 - 4321 "A IN ..." NOERROR ...`. */
  | 'coredns'
  /** PostgreSQL: `2026-11-25 12:00:00.123 UTC [1234] LOG:  ...` on stderr, DETAIL/STATEMENT lines. */
  | 'postgres'
  /** Prometheus 3: slog's logfmt with upper-case levels and `source=file.go:123`. */
  | 'prometheus';

export type Level = 'debug' | 'info' | 'warn' | 'error';

/** One event being written; an event is one log line, or several for a stack trace. */
export interface Emit {
  readonly rng: Rng;
  /** The workload's name, e.g. `checkout`; services name their own paths and classes after it. */
  readonly service: string;
  readonly namespace: string;
  /** The event's time, integer epoch ms. */
  readonly ts: number;
  /** Sub-millisecond nanoseconds of the event's first line (0–999999). */
  readonly nanos: number;
  /** Appends one physical line; successive lines of one event are a few microseconds apart. */
  line(text: string, stream: Stream): void;
}

export interface KindWriter {
  /** Writes one event at `level`; `burst` says the service is failing right now. */
  event(e: Emit, level: Level, burst: boolean): void;
  /** Writes one event carrying a 20–40 KB line (a dumped payload), or is absent if the kind never does. */
  long?(e: Emit, payload: string): void;
  /** Whether the kind has debug lines at all; access logs, for one, do not. */
  readonly hasDebug: boolean;
}
