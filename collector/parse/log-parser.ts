// One file's bytes in, log entries out: line splitting, format detection (by the first line
// read, once per file generation), and merging of partial lines.
import type { RawLine } from './line-splitter';
import { LineSplitter } from './line-splitter';
import { EntryAssembler, type AssembledEntry, type AssemblerOptions } from './entry-assembler';
import { parseCriLine } from './cri';
import { looksLikeDocker, parseDockerLine } from './docker-json';
import { parsePlainLine, type LogFormat, type ParsedLine } from './parsed-line';

// Room for the CRI header or Docker's JSON wrapper, so a message of exactly the max line size
// is not counted as cut.
const HEADER_ALLOWANCE_BYTES = 1024;

export interface ParseResult {
  entries: AssembledEntry[];
  lines: number;
}

export class LogParser {
  private formatSeen: LogFormat | undefined;
  private readonly splitter: LineSplitter;
  private readonly assembler: EntryAssembler;

  constructor(maxLineBytes: number, offset = 0, options: AssemblerOptions = {}) {
    this.splitter = new LineSplitter(maxLineBytes + HEADER_ALLOWANCE_BYTES, offset);
    this.assembler = new EntryAssembler(maxLineBytes, offset, options);
  }

  get format(): LogFormat | undefined {
    return this.formatSeen;
  }

  /** The earliest byte not covered by an entry already returned; reading may restart there. */
  get safeResume(): number {
    return this.assembler.safeResume;
  }

  reset(offset: number): void {
    this.formatSeen = undefined;
    this.splitter.reset(offset);
    this.assembler.reset(offset);
  }

  push(chunk: Buffer, chunkOffset: number, now: Date): ParseResult {
    const raw = this.splitter.push(chunk, chunkOffset);
    const readTime = now.toISOString();
    const nowMs = now.getTime();
    for (const line of raw) this.assembler.push(this.parse(line), readTime, nowMs);
    // A trace on one stream must not hold back a busy other stream.
    this.assembler.closeStale(nowMs, -Infinity);
    this.assembler.releaseBlocking();
    return { entries: this.assembler.take(), lines: raw.length };
  }

  /** Everything still buffered, as entries: the file will not grow any more. */
  finish(now: Date): ParseResult {
    const last = this.splitter.flush();
    if (last) this.assembler.push(this.parse(last), now.toISOString(), now.getTime());
    this.assembler.closeOpen(now.getTime());
    return { entries: this.assembler.take(), lines: last ? 1 : 0 };
  }

  /**
   * Ends partial lines whose end has not come for `maxAgeMs`, and traces whose next line has
   * not come within the multi-line window, so they stop holding others back.
   */
  closeStale(now: Date, maxAgeMs: number): AssembledEntry[] {
    if (!this.assembler.hasOpen) return [];
    return this.assembler.closeStale(now.getTime(), now.getTime() - maxAgeMs) ? this.assembler.take() : [];
  }

  private parse(line: RawLine): ParsedLine {
    this.formatSeen ??= detectFormat(line);
    if (this.formatSeen === 'cri') return parseCriLine(line) ?? parsePlainLine(line);
    if (this.formatSeen === 'docker') return parseDockerLine(line) ?? parsePlainLine(line);
    return parsePlainLine(line);
  }
}

export function detectFormat(line: RawLine): LogFormat {
  if (parseCriLine(line)) return 'cri';
  if (looksLikeDocker(line)) return 'docker';
  return 'plain';
}
