// Which file generation a path names. `dev:ino` tells that the path now names another file
// (rotation), but inode numbers are reused: once kubelet deletes an old rotated file, a new
// 0.log of the same container can get its inode, and the server's per-file high-water mark
// would then swallow the new file's lines as duplicates. So the wire id adds a fingerprint of
// the file's first line, which for CRI and Docker starts with a nanosecond timestamp.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** The fingerprint covers the first line, or this many bytes when the first line is longer. */
export const FINGERPRINT_BYTES = 256;
const FINGERPRINT_HEX_CHARS = 16;
/** Marks a generation that began with a truncation (copytruncate) of the same file. */
const TRUNCATION_TAG = /:t[0-9a-z]+$/;

export function devIno(stat: { dev: number; ino: number }): string {
  return `${stat.dev}:${stat.ino}`;
}

/**
 * `dev:ino:fingerprint`, or undefined while the file has no complete first line yet (the id
 * must not change as the file grows). With `force`, whatever is there is used: the file is
 * finished and will not grow.
 */
export async function fileId(handle: FileHandle, inode: string, force = false): Promise<string | undefined> {
  const buffer = Buffer.alloc(FINGERPRINT_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, FINGERPRINT_BYTES, 0);
  const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
  let length: number;
  if (newline !== -1) length = newline + 1;
  else if (bytesRead === FINGERPRINT_BYTES || force) length = bytesRead;
  else return undefined;
  const hash = createHash('sha256').update(buffer.subarray(0, length)).digest('hex');
  return `${inode}:${hash.slice(0, FINGERPRINT_HEX_CHARS)}`;
}

/** The id without a truncation tag, for comparing a checkpointed id with a fresh one. */
export function baseFileId(id: string): string {
  return id.replace(TRUNCATION_TAG, '');
}

/** A new id for a file truncated in place whose first line came back the same. */
export function truncatedFileId(base: string, now: Date): string {
  return `${base}:t${now.getTime().toString(36)}`;
}
