import { describe, expect, it, vi } from 'vitest';
import { BadRequestError } from '../errors';
import { QuerySyntaxError } from '../query/query-syntax-error';
import { errorAnswer, toErrorResponse } from './error-response';

async function answer(err: unknown) {
  const response = toErrorResponse(err);
  return { status: response.status, body: await response.json() };
}

describe('toErrorResponse', () => {
  it('answers a Logpond error with its status, code, message and position', async () => {
    expect(await answer(new QuerySyntaxError('expected a value at 7', 7, ['a value'], 'end of query'))).toEqual({
      status: 400,
      body: { error: { code: 'query_syntax', message: 'expected a value at 7', position: 7 } },
    });
    expect(await answer(new BadRequestError('limit: bad', 'invalid_parameter'))).toEqual({
      status: 400,
      body: { error: { code: 'invalid_parameter', message: 'limit: bad' } },
    });
  });

  it('answers 500 without internals for anything else', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const err of [new Error('Binder Error: Referenced column "secret_column" not found'), new TypeError('x is undefined'), 'a string']) {
      expect(await answer(err)).toEqual({ status: 500, body: { error: { code: 'internal', message: 'internal error' } } });
    }
    error.mockRestore();
  });

  it('words an error that ends a stream already begun as it would a response: never an internal message', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const internal = new Error('IO Error: Cannot open file "/var/lib/logpond/segments/2026-12-02T05/x.parquet"');
    expect(errorAnswer(internal).body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();
    expect(errorAnswer(new BadRequestError('limit: bad', 'invalid_parameter')).body).toEqual({ error: { code: 'invalid_parameter', message: 'limit: bad' } });
  });
});
