// GET /api/tail: new matching lines as they arrive. The server polls the store once a second
// (ingest commits in batches, so a push per batch would not be fresher) for lines after the last
// one sent, in time order.
//
// Lines do not arrive in time order across nodes: a collector behind by a second delivers lines
// older than ones already sent. Each poll therefore looks LATENESS back from the newest line sent
// and skips ids it already sent; a line arriving later than that is not tailed (search finds it).
//
// Each batch sent names the newest line sent so far (its `cursor`, the SSE event id). A stream
// that dropped (a laptop asleep, a proxy's timeout, a read that failed) is opened again by the
// browser with that id, and picks up after it, so the lines that came meanwhile are not lost;
// from at most RESUME_BACK_US before now, saying first which lines it skipped beyond that.
import type { QueryNode } from '../query/ast';
import type { LogStorage } from '../store/log-storage';
import { microsToIso, millisToMicros } from '../store/timestamps';
import { decodeKey, encodeKey, type Hit, type HitKey, isBefore, type SourceInfo, toHit } from './hits';

export const TAIL_POLL_MS = 1_000;
export const LATENESS_US = 5_000_000n;
/** Lines sent per poll at most; when a poll fills it, the next one follows at once. */
export const TAIL_MAX_PER_POLL = 1_000;
/** Late lines looked at per poll at most (the lateness window of a busy stream). */
const LATE_SCAN = 20_000;
/** How far ahead of the server's clock a line may be stamped and still be tailed. */
const FUTURE_US = 60_000_000n;
/**
 * The first poll sends what is stamped this long before the tail started, and later polls take
 * late lines back to it: a line from a collector a few seconds behind that arrives just after the
 * tail began came too late for the search before it. The page drops what its search shows already.
 */
const START_BACK_US = LATENESS_US;
/**
 * A stream picked up again goes back this far at most: after a long break (a laptop asleep
 * overnight) the lines of the gap are a search's to show, not a flood into the live table.
 */
export const RESUME_BACK_US = 10n * 60_000_000n;

export type TailEvent = TailHits | TailSkipped;

export interface TailHits {
  hits: Hit[];
  sources: Record<string, SourceInfo>;
  /** The newest line sent so far (its id): where a stream opened again picks up. */
  cursor: string;
}

/** A stream picked up after more than RESUME_BACK_US: the lines stamped in between are not sent. */
export interface TailSkipped {
  skipped: { from: string; to: string };
}

export interface TailOptions {
  signal: AbortSignal;
  pollMs?: number;
  now?: () => number;
  /** The cursor of the last batch a dropped stream sent; 400 when it is none this server issued. */
  resumeAfter?: string;
}

export async function* tail(storage: LogStorage, query: QueryNode, { signal, pollMs = TAIL_POLL_MS, now = Date.now, resumeAfter }: TailOptions): AsyncGenerator<TailEvent> {
  const micros = () => millisToMicros(now());
  let last: HitKey | null = resumeAfter === undefined ? null : decodeKey(resumeAfter, 'cursor'); // the newest line sent
  // Picked up, late lines are looked for from the last line sent on: the lines before it were
  // sent before the drop, and one stamped before it that arrived during the break is the
  // search's to show, as is any line later than LATENESS while the stream holds.
  let startUs = last ? last.ts : micros() - START_BACK_US;
  if (last && last.ts < micros() - RESUME_BACK_US) {
    startUs = micros() - RESUME_BACK_US;
    yield { skipped: { from: microsToIso(last.ts), to: microsToIso(startUs) } };
    last = null;
  }
  let sent = new Map<string, bigint>(last ? [[encodeKey(last), last.ts]] : []); // id → ts of lines sent within LATENESS of `last`
  while (!signal.aborted) {
    const toUs = micros() + FUTURE_US;
    const { rows, sources } = await storage.read(async (view) => {
      const newer = await view.page({ query, range: { fromUs: last?.ts ?? startUs, toUs }, order: 'asc', limit: TAIL_MAX_PER_POLL, after: last });
      // Late lines, back to where the tail began looking (START_BACK_US before it began).
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
    if (rows.length > 0) yield { hits: rows.map(toHit), sources, cursor: encodeKey(last!) };
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
