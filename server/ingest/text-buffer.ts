/** UTF-8 text appended to one growing buffer of its own (so it can be moved to another thread). */
export class TextBuffer {
  private buffer: Buffer;
  private used = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.from(new ArrayBuffer(Math.max(capacity, 1024)));
  }

  /** Appends `text` and answers where it ends. */
  write(text: string): number {
    // A UTF-16 unit is at most 3 UTF-8 bytes; with this much room a write cannot be cut short.
    if (this.used + text.length * 3 > this.buffer.length) {
      const next = Buffer.from(new ArrayBuffer(Math.max(this.buffer.length * 2, this.used + text.length * 3)));
      this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    this.used += this.buffer.write(text, this.used);
    return this.used;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, 0, this.used);
  }
}
