// What a restarted demo writer needs from a log file it wrote before: the time of its last line,
// so it fills only the gap, and whether the file ends mid-line.

import { open } from 'node:fs/promises';
import { parseCriTimestamp } from './cri-format';

/** More than one CRI line at its longest (16 KiB of text plus the prefix), so a whole line fits. */
const TAIL_BYTES = 64 * 1024;

export interface FileTail {
  size: number;
  /** Time of the last complete line; absent when the file is empty or its tail does not parse. */
  last?: { ts: number; nanos: number };
  /** False when the file ends without a newline (a writer died mid-line). */
  endsWithNewline: boolean;
}

/** Reads the end of `path`; undefined when there is no such file. */
export async function readFileTail(path: string): Promise<FileTail | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return { size, endsWithNewline: true };
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    const endsWithNewline = text.endsWith('\n');
    const complete = text.slice(0, text.lastIndexOf('\n'));
    const lastLine = complete.slice(complete.lastIndexOf('\n') + 1);
    const last = parseCriTimestamp(lastLine.slice(0, Math.max(0, lastLine.indexOf(' '))));
    return { size, last, endsWithNewline };
  } finally {
    await handle.close();
  }
}
