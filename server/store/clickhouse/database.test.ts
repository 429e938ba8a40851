import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chdbDir } from '../../testing/storage';
import { type ClickHouseHttp, serveClickHouse } from './chdb-http-server';
import { type ClickHouseConnection, connectClickHouse } from './connect';
import { Database } from './database';

// chDB's inserts of text rows go through its own insert (the bytes as they are), others through
// the client's: both must store the same rows and fail with the same ClickHouse error code.
let http: ClickHouseHttp;
const connections: ClickHouseConnection[] = [];
beforeAll(async () => {
  http = await serveClickHouse(chdbDir());
});
afterAll(async () => {
  for (const c of connections) await c.release();
  await http.close();
});

async function database(url: string, name: string): Promise<Database> {
  const connection = await connectClickHouse({ url, database: name, username: 'default', password: undefined, cluster: undefined });
  connections.push(connection);
  const db = new Database(connection.client, name, connection.rawInsert);
  await db.command(`CREATE DATABASE IF NOT EXISTS \`${name}\``);
  await db.command(`CREATE TABLE IF NOT EXISTS \`${name}\`.rows (n UInt32, text String) ENGINE = MergeTree ORDER BY n`);
  return db;
}

describe.each([
  ['chDB, a plain name (its own insert)', () => `chdb:${chdbDir()}`, 'text_rows_plain'],
  ['chDB, a name that needs quoting (the client)', () => `chdb:${chdbDir()}`, 'text-rows.quoted'],
  ['ClickHouse over HTTP (the client)', () => http.url, 'text_rows_http'],
])('text rows into %s', (_name, url, name) => {
  it('are stored as sent, tabs and line breaks escaped', async () => {
    const db = await database(url(), name);
    await db.insertText(`\`${name}\`.rows`, ['n', 'text'], Buffer.from('1\tfirst\\tline\n2\tsecond\\nline ü\n'));
    expect(await db.rows(`SELECT n, text FROM \`${name}\`.rows ORDER BY n`)).toEqual([
      { n: 1, text: 'first\tline' },
      { n: 2, text: 'second\nline ü' },
    ]);
  });

  it("a body the engine cannot parse fails with ClickHouse's error code", async () => {
    const db = await database(url(), name);
    const err = await db.insertText(`\`${name}\`.rows`, ['n', 'text'], Buffer.from('not a number\tx\n')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as { code?: unknown }).code).toBe('27'); // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  });
});
