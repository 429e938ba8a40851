// Turns parsed lines into log entries: merges partial lines (CRI `P`, Docker without `\n`) with
// the rest of their message, caps a message at the max line size, and hands entries out in the
// order of their first byte, which is the order the server's per-file high-water mark needs.
import type { Stream } from '../../common/ingest-batch';
import { continuation, MULTILINE_WINDOW_MS, traceModeOf, type TraceMode } from './multiline';
import type { ParsedLine } from './parsed-line';
import { StreamSlots } from './stream-slots';

export interface AssembledEntry {
  /** Byte offset of the entry's first chunk. */
  offset: number;
  /**
   * Where reading may restart once this entry is acknowledged without losing a later one: the
   * first byte of the next entry still unsent, else the end of the last line read.
   */
  resume: number;
  /** The first chunk's timestamp. */
  ts: string;
  stream: Stream;
  message: string;
  truncated: boolean;
}


interface Building {
  offset: number;
  ts: string;
  stream: Stream;
  parts: Buffer[];
  bytes: number;
  truncated: boolean;
  startedAtMs: number;
}

// stdout and stderr share one file, so a long stdout line in P chunks can enclose whole stderr
// lines; those wait behind it to keep offsets increasing. A stdout line that never ends must
// not hold stderr forever, so past these bounds the open line is cut where it stands.
const MAX_HELD_ENTRIES = 10_000;
const MAX_HELD_BYTES = 4 * 1024 * 1024;

export interface AssemblerOptions {
  /** Join stack-trace lines into the entry they continue (see multiline.ts). */
  multiline?: boolean;
  multilineWindowMs?: number;
}

/** The last complete entry of a stream, kept while its trace may go on. */
interface Pending {
  entry: AssembledEntry;
  mode: TraceMode;
  bytes: number;
  /** Timestamp of its last line, for the window between lines. */
  lastTs: string;
  /** Read time of its last line: it waits at most the window for the next one. */
  lastReadMs: number;
}

export class EntryAssembler {
  private open = new StreamSlots<Building>();
  private pending = new StreamSlots<Pending>();
  private readonly multiline: boolean;
  private readonly windowMs: number;
  /** Whole entries not yet handed out, sorted by offset; `resume` is set as they leave. */
  private held: AssembledEntry[] = [];
  private heldBytes = 0;
  private consumed: number;

  constructor(
    private readonly maxLineBytes: number,
    offset = 0,
    options: AssemblerOptions = {},
  ) {
    this.consumed = offset;
    this.multiline = options.multiline ?? false;
    this.windowMs = options.multilineWindowMs ?? MULTILINE_WINDOW_MS;
  }

  reset(offset: number): void {
    this.open.clear();
    this.pending.clear();
    this.held = [];
    this.heldBytes = 0;
    this.consumed = offset;
  }

  /** The earliest byte that is not part of an entry already handed out. */
  get safeResume(): number {
    return Math.min(this.minOpenOffset(), this.held[0]?.offset ?? Infinity, this.consumed);
  }

  get hasOpen(): boolean {
    return this.open.size > 0 || this.pending.size > 0;
  }

  push(line: ParsedLine, readTime: string, nowMs: number): void {
    this.consumed = line.end;
    const ts = line.ts ?? readTime;
    let building = this.open.get(line.stream);
    if (!building && !line.partial) {
      const text = line.text;
      const entry: AssembledEntry =
        !line.cut && text.length <= this.maxLineBytes
          ? { offset: line.offset, resume: 0, ts, stream: line.stream, message: text.toString('utf8'), truncated: false }
          : { offset: line.offset, resume: 0, ts, stream: line.stream, ...decode([text.subarray(0, this.maxLineBytes)], true) };
      this.completed(entry, nowMs);
    } else {
      building ??= { offset: line.offset, ts, stream: line.stream, parts: [], bytes: 0, truncated: false, startedAtMs: nowMs };
      this.append(building, line.text, line.cut);
      if (line.partial) this.open.set(line.stream, building);
      else this.complete(building, nowMs);
    }
    if (this.hasOpen && (this.held.length > MAX_HELD_ENTRIES || this.heldBytes > MAX_HELD_BYTES)) {
      this.closeOpen(nowMs);
    }
  }

  /** Ends every open partial line as it stands, flagged truncated (its end will not come), and every pending trace. */
  closeOpen(nowMs = 0): void {
    for (const building of this.open.values()) {
      building.truncated = true;
      this.complete(building, nowMs);
    }
    for (const stream of this.pending.keys()) this.release(stream);
  }

  /**
   * Ends open partial lines that started before `cutoffMs`, and traces whose next line has not
   * come within the window; true when one was ended.
   */
  closeStale(nowMs: number, partialCutoffMs: number): boolean {
    let closed = false;
    for (const building of this.open.values()) {
      if (building.startedAtMs < partialCutoffMs) {
        building.truncated = true;
        this.complete(building, nowMs);
        closed = true;
      }
    }
    for (const [stream, pending] of this.pending.entries()) {
      if (nowMs - pending.lastReadMs >= this.windowMs) {
        this.release(stream);
        closed = true;
      }
    }
    return closed;
  }

  /**
   * A read is over: a trace still waiting for lines while the other stream's entries wait behind
   * it is given up, so no entry outlives the read that found it. Across reads, those entries were
   * held until the trace's window passed, half a second of reading: tens of megabytes catching up
   * a backlog, all of it kept through V8's young collections. A trace split by this has another
   * stream's line between two of its own and a read in between as well.
   */
  releaseBlocking(): void {
    const last = this.held.at(-1);
    if (!last) return;
    for (const [stream, pending] of this.pending.entries()) {
      if (pending.entry.offset < last.offset) this.release(stream);
    }
  }

  /** Entries that no open partial line precedes, in offset order. */
  take(): AssembledEntry[] {
    const minOpen = this.minOpenOffset();
    let n = 0;
    while (n < this.held.length && this.held[n].offset < minOpen) n++;
    if (n === 0) return [];
    // A new array, never `held` itself: `held` lives as long as the file, so by the time this
    // file's next chunk fills it, it is in V8's old generation. Handed out and dropped there, it
    // would keep every entry it held alive through young collections until the next full one
    // (measured: every entry promoted, a third of the collector's time in garbage collection).
    const out = this.held.splice(0, n);
    const last = Math.min(minOpen, this.consumed);
    for (let i = 0; i < out.length; i++) {
      const entry = out[i];
      this.heldBytes -= entry.message.length;
      entry.resume = i + 1 < out.length ? Math.min(out[i + 1].offset, last) : last;
    }
    return out;
  }

  private append(building: Building, text: Buffer, cut: boolean): void {
    const keep = Math.max(0, Math.min(this.maxLineBytes - building.bytes, text.length));
    if (keep > 0) {
      // A copy: `text` points into a read buffer that the next chunk reuses.
      building.parts.push(Buffer.from(text.subarray(0, keep)));
      building.bytes += keep;
    }
    if (cut || keep < text.length) building.truncated = true;
  }

  private complete(building: Building, nowMs: number): void {
    this.open.delete(building.stream);
    const { offset, ts, stream, parts, truncated } = building;
    this.completed({ offset, resume: 0, ts, stream, ...decode(parts, truncated) }, nowMs);
  }

  /** A whole physical entry: it joins its stream's pending trace, or becomes the pending one. */
  private completed(entry: AssembledEntry, nowMs: number): void {
    if (!this.multiline) return this.hold(entry);
    const pending = this.pending.get(entry.stream);
    if (pending) {
      const mode = continuation(pending.mode, entry.message);
      if (mode !== undefined && withinWindow(pending.lastTs, entry.ts, this.windowMs)) {
        this.join(pending, entry);
        pending.mode = mode;
        pending.lastTs = entry.ts;
        pending.lastReadMs = nowMs;
        return;
      }
      this.release(entry.stream);
    }
    this.pending.set(entry.stream, {
      entry,
      mode: traceModeOf(entry.message),
      bytes: -1,
      lastTs: entry.ts,
      lastReadMs: nowMs,
    });
  }

  private join(pending: Pending, next: AssembledEntry): void {
    const head = pending.entry;
    if (pending.bytes < 0) pending.bytes = Buffer.byteLength(head.message);
    if (next.truncated) head.truncated = true;
    const room = this.maxLineBytes - pending.bytes - 1;
    if (room < 0) {
      head.truncated = true; // the rest of the trace is swallowed, not sent as separate entries
      return;
    }
    const bytes = Buffer.byteLength(next.message);
    if (bytes <= room) {
      head.message += `\n${next.message}`;
      pending.bytes += bytes + 1;
      return;
    }
    const cut = withoutBrokenLastChar(Buffer.from(next.message).subarray(0, room)).toString('utf8');
    head.message += `\n${cut}`;
    head.truncated = true;
    pending.bytes = this.maxLineBytes;
  }

  private release(stream: Stream): void {
    const pending = this.pending.get(stream);
    if (!pending) return;
    this.pending.delete(stream);
    this.hold(pending.entry);
  }

  private hold(entry: AssembledEntry): void {
    let at = this.held.length;
    while (at > 0 && this.held[at - 1].offset > entry.offset) at--;
    if (at === this.held.length) this.held.push(entry);
    else this.held.splice(at, 0, entry);
    this.heldBytes += entry.message.length;
  }

  private minOpenOffset(): number {
    let min = Infinity;
    for (const building of this.open.values()) min = Math.min(min, building.offset);
    for (const pending of this.pending.values()) min = Math.min(min, pending.entry.offset);
    return min;
  }
}

/** Whether `next` was written within the window after `last` (both RFC 3339; unparsable means yes). */
function withinWindow(last: string, next: string, windowMs: number): boolean {
  if (last === next) return true;
  const gap = Date.parse(next) - Date.parse(last);
  return !(gap > windowMs) && !(gap < -windowMs);
}

/** UTF-8 text of the parts; invalid bytes become U+FFFD, and a cut never leaves half a character. */
function decode(parts: Buffer[], truncated: boolean): { message: string; truncated: boolean } {
  let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  if (truncated) bytes = withoutBrokenLastChar(bytes);
  return { message: bytes.toString('utf8'), truncated };
}

function withoutBrokenLastChar(bytes: Buffer): Buffer {
  let lead = bytes.length - 1;
  while (lead >= 0 && bytes.length - lead < 4 && (bytes[lead] & 0xc0) === 0x80) lead--;
  if (lead < 0) return bytes;
  const b = bytes[lead];
  const width = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return lead + width > bytes.length ? bytes.subarray(0, lead) : bytes;
}
