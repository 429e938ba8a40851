import fs from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, decoded, lines } from '../../testing/batches';
import { tempDir } from '../../testing/temp-dir';
import type { WireBody } from '../../ingest/decoded-batch';
import { decodeRecords, encodeRecord, Journal, listJournals } from './journal';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(() => cleanup());

const startMs = Date.parse('2026-11-01T00:00:00Z');
const first: WireBody = { body: gzipSync(JSON.stringify(batch(lines({ source: 'api', count: 3, startMs })))), encoding: 'gzip' };
const second: WireBody = { body: Buffer.from(JSON.stringify(batch(lines({ source: 'web', count: 1, startMs })))), encoding: 'identity' };

function bytesOf(...bodies: WireBody[]): Buffer {
  return Buffer.concat(bodies.flatMap(encodeRecord));
}

/** Plain Uint8Arrays on both sides, so Buffers compare with their copies. */
function plain(bodies: WireBody[]) {
  return bodies.map(({ body, encoding }) => ({ encoding, body: [...body] }));
}

describe('journal records', () => {
  it('give back each body and its encoding, in order', () => {
    const { bodies, damagedBytes } = decodeRecords(bytesOf(first, second));
    expect(damagedBytes).toBe(0);
    expect(plain(bodies)).toEqual(plain([first, second]));
  });

  it('end at a record cut short, as a crash during a write leaves it', () => {
    const whole = bytesOf(first, second);
    const cut = whole.subarray(0, whole.length - 10);
    const { bodies, damagedBytes } = decodeRecords(cut);
    expect(plain(bodies)).toEqual(plain([first]));
    expect(damagedBytes).toBe(cut.length - bytesOf(first).length);
  });

  it('end at a record whose bytes changed', () => {
    const damaged = bytesOf(first, second);
    damaged[bytesOf(first).length + 40] ^= 0xff;
    expect(plain(decodeRecords(damaged).bodies)).toEqual(plain([first]));
  });
});

describe('Journal', () => {
  it('appends the bodies of batches, which a reader finds in the file; journals are listed oldest first', async () => {
    const later = await Journal.create(dir, 10);
    const earlier = await Journal.create(dir, 9);
    const a = decoded(batch(lines({ source: 'api', count: 2, startMs })));
    const b = decoded(batch(lines({ source: 'api', count: 2, startMs, firstOffset: 500 })));
    await earlier.append([a]);
    await earlier.append([b]);
    await earlier.close();
    await later.close();
    const listed = await listJournals(dir);
    expect(listed.map((j) => j.sequence)).toEqual([9, 10]);
    expect(plain(decodeRecords(await fs.readFile(listed[0].file)).bodies)).toEqual(plain([a.wire, b.wire]));
    await later.remove();
    expect((await listJournals(dir)).map((j) => j.sequence)).toEqual([9]);
  });

  it('retracts a refused group: a replay finds only the records before it, and appending goes on after them', async () => {
    const journal = await Journal.create(dir, 1);
    const kept = decoded(batch(lines({ source: 'api', count: 2, startMs })));
    const refused = decoded(batch(lines({ source: 'api', count: 2, startMs, firstOffset: 500 })));
    const next = decoded(batch(lines({ source: 'api', count: 2, startMs, firstOffset: 900 })));
    await journal.append([kept]);
    const before = await journal.append([refused]);
    await journal.retract(before);
    await journal.append([next]);
    await journal.close();
    const { bodies, damagedBytes } = decodeRecords(await fs.readFile(journal.file));
    expect(damagedBytes).toBe(0);
    expect(plain(bodies)).toEqual(plain([kept.wire, next.wire]));
  });
});
