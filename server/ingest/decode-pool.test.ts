import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batch, lines } from '../testing/batches';
import { tempDir } from '../testing/temp-dir';
import { DecodePool } from './decode-pool';

let dir: string;
let cleanup: () => Promise<void>;
let pool: DecodePool | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await pool?.close();
  pool = undefined;
  await cleanup();
});

const body = () => Buffer.from(JSON.stringify(batch(lines({ source: 'api', count: 3, startMs: Date.now() }))));

describe('DecodePool', () => {
  it('decodes on a worker thread', async () => {
    pool = new DecodePool(1, path.resolve(import.meta.dirname, 'decode-worker.mjs'));
    expect(pool.threads).toBe(1);
    const decoded = await pool.decode(body(), 'identity', 1e6);
    expect(decoded.entries.length).toBe(3);
  });

  it('answers 503 for batches a crashing worker held, and decodes inline once workers keep failing', async () => {
    const broken = path.join(dir, 'broken-worker.mjs');
    await fs.writeFile(broken, "throw new Error('cannot start');\n");
    pool = new DecodePool(1, broken);
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 50 && outcomes.at(-1) !== 'decoded'; attempt++) {
      outcomes.push(
        await pool.decode(body(), 'identity', 1e6).then(
          () => 'decoded',
          (err: { status?: number }) => `refused ${err.status}`,
        ),
      );
    }
    expect(outcomes.at(-1)).toBe('decoded');
    expect(new Set(outcomes.slice(0, -1))).toEqual(new Set(['refused 503']));
    expect(pool.threads).toBe(0);
  });

  it('refuses batches after close with 503', async () => {
    pool = new DecodePool(0, undefined);
    await pool.close();
    await expect(pool.decode(body(), 'identity', 1e6)).rejects.toMatchObject({ status: 503 });
  });
});
