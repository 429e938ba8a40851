import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toErrorResponse } from '../../http/error-response';
import { asRequestError } from './engine-errors';

let instance: DuckDBInstance;
let c: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  c = await instance.connect();
});
afterAll(() => {
  c.closeSync();
  instance.closeSync();
});

/** The error DuckDB (or its binding) throws for `sql`, as the engine passes it up. */
async function engineError(sql: string, params: Record<string, string | number> = {}): Promise<unknown> {
  try {
    await c.runAndReadAll(sql, params);
  } catch (err) {
    return asRequestError(err);
  }
  throw new Error(`expected ${sql} to fail`);
}

async function answer(err: unknown) {
  const response = toErrorResponse(err);
  return { status: response.status, body: await response.json() };
}

describe('asRequestError', () => {
  it.each([
    [`SELECT regexp_matches('a', $p)`, { p: '(a{100}){100}' }, 'the store cannot run this request: invalid repetition size: {100}'],
    [`SELECT regexp_matches('a', $p)`, { p: '\\p{Cn}' }, 'the store cannot run this request: invalid character class range: \\p{Cn}'],
    [`SELECT $v > 1`, { v: 1e300 }, 'the store cannot run this request: a number in it is out of range'],
    [`SELECT CAST($v AS INTEGER)`, { v: 'x' }, "the store cannot run this request: Could not convert string 'x' to INT32"],
    [`SELECT make_timestamp(9223372036854775807)`, {}, 'the store cannot run this request: Timestamp microseconds out of range: 9223372036854775807'],
  ])('answers 400 for an engine refusal of a value: %s', async (sql, params, message) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await answer(await engineError(sql, params))).toEqual({ status: 400, body: { error: { code: 'invalid_input', message } } });
    warn.mockRestore();
  });

  it('leaves errors of our own SQL as they are: 500 without internals', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await answer(await engineError('SELECT secret_column FROM range(1)'))).toEqual({ status: 500, body: { error: { code: 'internal', message: 'internal error' } } });
    error.mockRestore();
  });
});
