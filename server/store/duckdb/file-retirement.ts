// Deferred deletion of segment and token files. A read takes the catalog as of its start (its
// DuckDB transaction) but opens the files it names later, statement by statement; a merge, an
// index rewrite, a day token fold or retention that deleted a file right after its catalog change
// committed failed such a read with "No such file" (issue 17: every retry too, while a backfill
// merged hour after hour). So a file that leaves the catalog is retired, and removed only once
// every read that began before its retirement has ended.
//
// Why that suffices: a file is retired after the catalog change that drops it has committed, and
// a read registers before it takes its snapshot, so a read registered after the retirement reads
// a catalog that no longer names the file.
//
// A crash between retirement and removal leaks nothing: the next start deletes every segment
// and token file the catalog does not name (Segments.load).
import fs from 'node:fs/promises';

interface Retired {
  file: string;
  bytes: number;
  /** The tick of its retirement: reads registered before it may name the file. */
  at: number;
}

export class FileRetirement {
  /** Orders registrations and retirements; only their order matters. */
  private tick = 0;
  /** The registration tick of each running read. */
  private readonly reads = new Set<{ since: number }>();
  /** When the last read ended (epoch ms). */
  private lastReadEnded = 0;
  private retired: Retired[] = [];
  private removing: Promise<void> = Promise.resolve();

  /**
   * Registers a read; call before it takes its snapshot, and the answer once its statements have
   * ended (not when its caller is answered: a stopped read's statement can run on past that).
   */
  hold(): () => void {
    const read = { since: ++this.tick };
    this.reads.add(read);
    return () => {
      if (!this.reads.delete(read)) return;
      this.lastReadEnded = Date.now();
      void this.removeFree();
    };
  }

  /** Whether a read runs now, or the last one ended less than `graceMs` ago (wall clock). */
  readRecently(graceMs: number): boolean {
    return this.reads.size > 0 || Date.now() - this.lastReadEnded < graceMs;
  }

  /**
   * Retires `files` (absolute paths) whose catalog change has committed; resolves once those no
   * read holds are removed. Files that were never written are skipped.
   */
  async retire(files: readonly string[]): Promise<void> {
    const at = ++this.tick;
    for (const file of files) {
      const bytes = await fs.stat(/*turbopackIgnore: true*/ file).then((s) => s.size, () => null);
      if (bytes !== null) this.retired.push({ file, bytes, at });
    }
    await this.removeFree();
  }

  /** Bytes of retired files that reads still hold. */
  get heldBytes(): number {
    return this.retired.reduce((sum, r) => sum + r.bytes, 0);
  }

  /** Resolves once every removal begun so far has ended. */
  settled(): Promise<void> {
    return this.removing;
  }

  private removeFree(): Promise<void> {
    let oldest = Infinity;
    for (const read of this.reads) oldest = Math.min(oldest, read.since);
    const free = this.retired.filter((r) => r.at < oldest);
    if (free.length > 0) {
      this.retired = this.retired.filter((r) => r.at >= oldest);
      this.removing = this.removing.then(() => removeAll(free));
    }
    return this.removing;
  }
}

/** Never rejects: a file that cannot be removed now is removed by the next start (Segments.load). */
async function removeAll(files: readonly Retired[]): Promise<void> {
  for (const { file } of files) {
    try {
      await fs.rm(/*turbopackIgnore: true*/ file, { force: true });
    } catch (err) {
      console.error(`logpond: could not remove ${file}: ${(err as Error).message}`);
    }
  }
}
