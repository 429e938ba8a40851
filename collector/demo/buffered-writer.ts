// Appends many small strings to a file fast: the demo backfill and the benchmark corpus write
// hundreds of megabytes of short lines, where building big strings costs more than the disk.

import type { FileHandle } from 'node:fs/promises';

/** Lines are encoded into buffers this large: few syscalls, and no giant strings for the GC. */
const WRITE_BUFFER_BYTES = 1 << 20;

/**
 * Encodes text into one buffer while the other is being written. Writes go out strictly one
 * after another: two writes in flight at the file position could land in either order.
 */
export class BufferedFileWriter {
  private readonly buffers = [Buffer.allocUnsafe(WRITE_BUFFER_BYTES), Buffer.allocUnsafe(WRITE_BUFFER_BYTES)];
  /** Per buffer, the write that must finish before it is filled again. */
  private readonly written: Array<Promise<void>> = [Promise.resolve(), Promise.resolve()];
  private queue: Promise<void> = Promise.resolve();
  private current = 0;
  private used = 0;
  /** Bytes handed to the file so far. */
  bytes = 0;

  constructor(private readonly handle: FileHandle) {}

  /** Buffers `text`; returns a promise only when the caller must wait for a buffer to come free. */
  write(text: string): Promise<void> | undefined {
    // A UTF-16 unit takes at most 3 UTF-8 bytes, so a line that passes this check fits.
    if (this.used + text.length * 3 <= WRITE_BUFFER_BYTES) {
      this.used += this.buffers[this.current].write(text, this.used, 'utf8');
      return undefined;
    }
    return this.writeSlow(text);
  }

  /** Writes everything buffered and waits until the file has it. */
  async drain(): Promise<void> {
    this.enqueue(this.buffers[this.current].subarray(0, this.used));
    this.used = 0;
    await this.queue;
  }

  private async writeSlow(text: string): Promise<void> {
    await this.swap();
    if (text.length * 3 <= WRITE_BUFFER_BYTES) {
      this.used += this.buffers[this.current].write(text, this.used, 'utf8');
    } else {
      this.enqueue(Buffer.from(text, 'utf8'));
    }
  }

  private async swap(): Promise<void> {
    this.written[this.current] = this.enqueue(this.buffers[this.current].subarray(0, this.used));
    this.current ^= 1;
    this.used = 0;
    await this.written[this.current];
  }

  private enqueue(data: Buffer): Promise<void> {
    if (data.length === 0) return this.queue;
    this.queue = this.queue.then(async () => {
      for (let done = 0; done < data.length; ) done += (await this.handle.write(data, done, data.length - done)).bytesWritten;
      this.bytes += data.length;
    });
    // Marked handled here; the error still reaches whoever awaits the queue or the buffer.
    this.queue.catch(() => undefined);
    return this.queue;
  }
}
