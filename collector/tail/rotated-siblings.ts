// Generations a tailer never saw. A runtime rotates by renaming `0.log` to `0.log.<suffix>` and
// starting a new `0.log`; when a burst rotates twice between two looks at the path, the middle
// generation is never named by the path while we look, and its lines would be lost. It still
// sits beside the current file under its rotated name, renamed after our last look.
import fs from 'node:fs/promises';
import path from 'node:path';
import { devIno } from './file-identity';

export interface RotatedSibling {
  path: string;
  inode: string;
}

/** Renames are stamped to the file system's clock tick; a little slack keeps an edge case in. */
const CTIME_SLACK_MS = 50;

/**
 * Files in the directory of `logPath`'s target named `<target name>.<suffix>` (compressed ones
 * left out: kubelet gzips only generations older than the newest rotated one), renamed or
 * written since `sinceMs`, and none of `known` (dev:ino). Oldest writes first.
 */
export async function rotatedSince(logPath: string, sinceMs: number, known: ReadonlySet<string>): Promise<RotatedSibling[]> {
  const target = await fs.realpath(logPath).catch(() => logPath);
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const found: Array<RotatedSibling & { mtimeMs: number }> = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || name.endsWith('.gz') || name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat?.isFile() || stat.ctimeMs < sinceMs - CTIME_SLACK_MS) continue;
    const inode = devIno(stat);
    if (!known.has(inode)) found.push({ path: full, inode, mtimeMs: stat.mtimeMs });
  }
  return found.sort((a, b) => a.mtimeMs - b.mtimeMs).map(({ path: p, inode }) => ({ path: p, inode }));
}
