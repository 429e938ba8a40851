import { describe, expect, it } from 'vitest';
import { streamOf } from './streams';

async function* failingAfter(chunks: string[]): AsyncGenerator<string> {
  yield* chunks;
  throw new Error('the read failed');
}

describe('streamOf', () => {
  it('ends with its last words when the format has a way to say what failed', async () => {
    const body = await new Response(streamOf(failingAfter(['{"a":1}\n']), () => '{"error":"the read failed"}\n')).text();
    expect(body).toBe('{"a":1}\n{"error":"the read failed"}\n');
  });

  it('breaks off when it has none, so the client sees a failed transfer, not a whole file', async () => {
    await expect(new Response(streamOf(failingAfter(['ts,message\r\n']), () => null)).text()).rejects.toMatchObject({ name: 'AbortError', message: 'the read failed' });
  });
});
