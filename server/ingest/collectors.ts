/** How a sender's lines came: Logpond's collector, or a shipper over OTLP or Loki push. */
export type SentVia = 'collector' | 'otlp' | 'loki';

/** Which collectors have sent batches, and when; kept in memory, so it starts empty after a restart. */
export interface CollectorSeen {
  id: string;
  via: SentVia;
  node: string;
  version: string | null;
  lastSeen: string;
  batches: number;
  entries: number;
}

/** Collectors remembered at most; the one silent longest is forgotten first. */
const MAX_COLLECTORS = 1_000;

export class CollectorRegistry {
  private readonly seen = new Map<string, CollectorSeen>();

  record(collector: { id: string; node: string; version?: string }, entries: number, at = new Date(), via: SentVia = 'collector'): void {
    const current = this.seen.get(collector.id);
    // A Map iterates in insertion order: re-inserting keeps the most recent last.
    this.seen.delete(collector.id);
    if (this.seen.size >= MAX_COLLECTORS) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(collector.id, {
      id: collector.id,
      via,
      node: collector.node,
      version: collector.version ?? null,
      lastSeen: at.toISOString(),
      batches: (current?.batches ?? 0) + 1,
      entries: (current?.entries ?? 0) + entries,
    });
  }

  list(): CollectorSeen[] {
    return inListOrder([...this.seen.values()]);
  }
}

/** By node, then id: the order /api/status lists them in. */
export function inListOrder(collectors: CollectorSeen[]): CollectorSeen[] {
  return collectors.sort((a, b) => a.node.localeCompare(b.node) || a.id.localeCompare(b.id));
}
