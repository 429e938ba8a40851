import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { batch, decoded, lines } from '../../testing/batches';
import { BatchWriter } from './batch-writer';
import { HotIncarnations, SCHEMA } from './schema';

async function openWriter(): Promise<{ writer: BatchWriter; connection: DuckDBConnection; close: () => void }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  for (const statement of SCHEMA) await connection.run(statement);
  const writer = await BatchWriter.load(connection, await HotIncarnations.load(connection));
  return { writer, connection, close: () => (connection.closeSync(), instance.closeSync()) };
}

const startMs = Date.parse('2026-11-01T00:00:00Z');

describe('BatchWriter', () => {
  it('writes a batch handed over by code that was waiting for the one before', async () => {
    const { writer: w, close } = await openWriter();
    const first = decoded(batch(lines({ source: 'a', count: 2, startMs })));
    const next = decoded(batch(lines({ source: 'a', count: 2, firstOffset: 1000, startMs })));
    // Handed over in the microtask after the first result, as the writer finished its loop.
    const second = w.write(first).then(() => w.write(next));
    const stranded = new Promise((resolve) => setTimeout(() => resolve('stranded'), 5_000));
    expect(await Promise.race([second, stranded])).toEqual({ accepted: 2, duplicates: 0 });
    await w.idle();
    close();
  });

  it('forgets a source no line names while a batch of it waits, and stores that batch under the source again', async () => {
    const { writer: w, connection, close } = await openWriter();
    await w.write(decoded(batch(lines({ source: 'a', count: 2, startMs }))));
    // Its lines gone, as retention drops them.
    await connection.run(`DELETE FROM ${w.activeTable}`);
    const [{ id }] = (await connection.runAndReadAll(`SELECT id FROM sources WHERE key = 'a'`)).getRowObjectsJS();
    const [forgotten, stored] = await Promise.all([
      w.forgetSources([Number(id)]),
      w.write(decoded(batch(lines({ source: 'a', count: 3, firstOffset: 1000, startMs })))),
    ]);
    expect(forgotten).toBe(1);
    expect(stored).toEqual({ accepted: 3, duplicates: 0 });
    const orphans = await connection.runAndReadAll(`SELECT count(*) AS n FROM entries_hot e ANTI JOIN sources s ON s.id = e.source_id`);
    expect(orphans.getRowObjectsJS()).toEqual([{ n: 0n }]);
    close();
  });
});
