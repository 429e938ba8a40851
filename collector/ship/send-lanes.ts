// Batches of different files in flight at once. One batch at a time left both ends idle half the
// time: the server waited for the next request while the collector waited for the answer (a
// week's backfill through the collector: the server inside a batch 55 % of the wall time, its
// CPU about one core of two). Each file belongs to one lane, and a lane sends one batch at a
// time, so a file's offsets still reach the server in increasing order and its checkpoint moves
// only after they were acknowledged. A lane that retries holds up the delivery of its own files
// only, though reading stops for all of them once it has no room (the files are the buffer).
import type { TailedEntry } from '../tail/file-tailer';
import { Batcher, type BatcherOptions } from './batcher';
import { Shipper, type ShipperOptions } from './shipper';

/** Two: the server's next batch is decoded while the last one commits; more only queue there. */
export const SEND_LANES = 2;

export class SendLanes {
  private readonly lanes: { batcher: Batcher; shipper: Shipper }[];

  constructor(
    batcherOptions: Omit<BatcherOptions, 'onSealed'>,
    shipperOptions: Omit<ShipperOptions, 'batcher'>,
    count = SEND_LANES,
  ) {
    this.lanes = Array.from({ length: Math.max(1, count) }, () => {
      let shipper: Shipper | undefined;
      const batcher = new Batcher({ ...batcherOptions, onSealed: () => shipper?.notify() });
      shipper = new Shipper({ ...shipperOptions, batcher });
      return { batcher, shipper };
    });
  }

  start(): void {
    for (const { shipper } of this.lanes) shipper.start();
  }

  /** False while some lane has enough waiting: the reader must pause. */
  get hasRoom(): boolean {
    return this.lanes.every(({ batcher }) => batcher.hasRoom);
  }

  add(entry: TailedEntry): void {
    this.lanes[this.laneOf(entry.path)].batcher.add(entry);
  }

  /** Entries were added: each lane looks again. */
  notify(): void {
    for (const { shipper } of this.lanes) shipper.notify();
  }

  /** Stops every lane, each sending what it holds for up to `timeoutMs`; true when all was delivered. */
  async stop(timeoutMs: number): Promise<boolean> {
    const delivered = await Promise.all(this.lanes.map(({ shipper }) => shipper.stop(timeoutMs)));
    return delivered.every(Boolean);
  }

  private laneOf(path: string): number {
    return laneOf(path, this.lanes.length);
  }
}

/**
 * A path's lane, from a hash of it: the same for the path's whole life, rotations included (its
 * checkpoint entry must only ever move forward), and nothing to remember per path.
 */
export function laneOf(path: string, lanes: number): number {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < path.length; i++) hash = Math.imul(hash ^ path.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % lanes;
}
