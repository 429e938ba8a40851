// How far each file has been delivered: path → {file generation, offset}. An offset moves only
// after the server acknowledged the entries before it, and the file is replaced atomically, so
// a crash at any moment leaves either the old or the new checkpoint, never half of one.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CheckpointError, errorCode } from '../errors';

/** Background saves (saveSoon) start at least this far apart. */
export const MIN_SAVE_INTERVAL_MS = 250;

export interface CheckpointEntry {
  /** Wire id of the file generation (see tail/file-identity.ts). */
  file: string;
  /** The first byte not yet delivered. */
  offset: number;
}

interface CheckpointDocument {
  version: 1;
  files: Record<string, CheckpointEntry>;
}

export class Checkpoint {
  private readonly entries = new Map<string, CheckpointEntry>();
  private saving: Promise<void> = Promise.resolve();
  /** A save is running (or queued) and will write the state as it is when it starts. */
  private queued: Promise<void> | undefined;
  /** When the last background save started (epoch ms). */
  private lastSaveMs = 0;

  constructor(readonly filePath: string) {}

  get(logPath: string): CheckpointEntry | undefined {
    return this.entries.get(logPath);
  }

  get size(): number {
    return this.entries.size;
  }

  commit(logPath: string, file: string, offset: number): void {
    this.entries.set(logPath, { file, offset });
  }

  forget(logPath: string): void {
    this.entries.delete(logPath);
  }

  /** Drops every path not in `paths`: files deleted while the collector was away. */
  retainOnly(paths: Iterable<string>): void {
    const keep = new Set(paths);
    for (const logPath of this.entries.keys()) if (!keep.has(logPath)) this.entries.delete(logPath);
  }

  /** Writes the current state; saves are serialized so an older state never lands last. */
  save(): Promise<void> {
    const next = this.saving.then(() => writeAtomically(this.filePath, this.serialize()));
    this.saving = next.catch(() => undefined);
    return next;
  }

  /**
   * Saves soon without making the caller wait: while a save runs, later requests fold into one
   * that starts after it with the state as it is then. The sender never waits on an fsync, and
   * a crash meanwhile only means resending lines the server drops as duplicates.
   */
  saveSoon(): Promise<void> {
    this.queued ??= this.saving.then(async () => {
      // At most one every MIN_SAVE_INTERVAL_MS: back to back, saves (open, write, fsync, rename)
      // were 4 % of the collector's time catching up, for nothing a crash would not resend.
      const wait = this.lastSaveMs + MIN_SAVE_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.queued = undefined;
      this.lastSaveMs = Date.now();
      return writeAtomically(this.filePath, this.serialize());
    });
    const next = this.queued;
    this.saving = next.catch(() => undefined);
    return next;
  }

  private serialize(): string {
    const document: CheckpointDocument = { version: 1, files: Object.fromEntries(this.entries) };
    return `${JSON.stringify(document)}\n`;
  }
}

/** The checkpoint at `filePath`; empty when there is none. Throws CheckpointError when unreadable. */
export async function loadCheckpoint(filePath: string): Promise<Checkpoint> {
  const checkpoint = new Checkpoint(filePath);
  let text: string;
  try {
    text = await fs.readFile(filePath, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return checkpoint;
    throw new CheckpointError(filePath, (err as Error).message);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new CheckpointError(filePath, `not JSON: ${(err as Error).message}`);
  }
  const files = (document as Partial<CheckpointDocument> | null)?.files;
  if ((document as Partial<CheckpointDocument> | null)?.version !== 1 || !files || typeof files !== 'object') {
    throw new CheckpointError(filePath, 'not a version 1 checkpoint');
  }
  for (const [logPath, entry] of Object.entries(files)) {
    if (typeof entry?.file === 'string' && Number.isSafeInteger(entry.offset) && entry.offset >= 0) {
      checkpoint.commit(logPath, entry.file, entry.offset);
    }
  }
  return checkpoint;
}

/** Write a temporary file, fsync it, rename it over the target, fsync the directory. */
async function writeAtomically(target: string, text: string): Promise<void> {
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, target);
  // The rename is durable only once the directory entry is; some file systems refuse to fsync
  // a directory, and then the rename is as durable as they make it.
  const dirHandle = await fs.open(dir, 'r').catch(() => undefined);
  await dirHandle?.sync().catch(() => undefined);
  await dirHandle?.close();
}
