// GET /api/tail: new matching lines as they arrive. The server polls the store once a second
// (ingest commits in batches, so a push per batch would not be fresher) for lines after the last
// one sent, in time order.
//
// Lines do not arrive in time order across nodes: a collector behind by a second delivers lines
// older than ones already sent. Each poll therefore looks LATENESS back from the newest line sent
// and skips ids it already sent; a line arriving later than that is not tailed (search finds it).
import type { QueryNode } from '../query/ast';
import type { LogStorage } from '../store/log-storage';
import { millisToMicros } from '../store/timestamps';
import { encodeKey, type Hit, type HitKey, isBefore, type SourceInfo, toHit } from './hits';

export const TAIL_POLL_MS = 1_000;
export const LATENESS_US = 5_000_000n;
/** Lines sent per poll at most; when a poll fills it, the next one follows at once. */
export const TAIL_MAX_PER_POLL = 1_000;
/** Late lines looked at per poll at most (the lateness window of a busy stream). */
const LATE_SCAN = 20_000;
/** How far ahead of the server's clock a line may be stamped and still be tailed. */
const FUTURE_US = 60_000_000n;
/** The first poll sends what arrived this long before the tail started. */
const START_BACK_US = 2_000_000n;

export interface TailEvent {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
}

export interface TailOptions {
  signal: AbortSignal;
  pollMs?: number;
  now?: () => number;
}

export async function* tail(storage: LogStorage, query: QueryNode, { signal, pollMs = TAIL_POLL_MS, now = Date.now }: TailOptions): AsyncGenerator<TailEvent> {
  const micros = () => millisToMicros(now());
  let last: HitKey | null = null; // the newest line sent
  const startUs = micros() - START_BACK_US;
  let sent = new Map<string, bigint>(); // id → ts of lines sent within LATENESS of `last`
  while (!signal.aborted) {
    const toUs = micros() + FUTURE_US;
    const { rows, sources } = await storage.read(async (view) => {
      const newer = await view.page({ query, range: { fromUs: last?.ts ?? startUs, toUs }, order: 'asc', limit: TAIL_MAX_PER_POLL, after: last });
      // Late lines, but none stamped before the tail began: those were there already (search shows them).
      const lateFrom = last && last.ts - LATENESS_US > startUs ? last.ts - LATENESS_US : startUs;
      const late = last
        ? (await view.page({ query, range: { fromUs: lateFrom, toUs: last.ts + 1n }, order: 'asc', limit: LATE_SCAN, after: null })).filter(
            (e) => !sent.has(encodeKey(e.key)) && isBefore(e.key, last!),
          )
        : [];
      const fresh = [...late, ...newer];
      return { rows: fresh, sources: await view.sources(fresh.map((e) => e.sourceId)) };
    }, { signal, continuing: true });
    for (const row of rows) {
      const key = row.key;
      sent.set(encodeKey(key), key.ts);
      if (!last || isBefore(last, key)) last = key;
    }
    if (last) {
      const floor = last.ts - LATENESS_US;
      sent = new Map([...sent].filter(([, ts]) => ts >= floor));
    }
    if (rows.length > 0) yield { hits: rows.map(toHit), sources };
    if (rows.length < TAIL_MAX_PER_POLL) await sleep(pollMs, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
