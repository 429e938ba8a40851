import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BufferedFileWriter } from './buffered-writer';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'logpond-buffered-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('writes every line in order across many buffer swaps, huge and multi-byte lines included', async () => {
  const path = join(dir, 'out.log');
  const handle = await open(path, 'a');
  const expected: string[] = [];
  const writer = new BufferedFileWriter(handle);
  for (let i = 0; i < 60_000; i++) {
    // Every 10 000th line is bigger than a whole buffer; the others are short, some not ASCII.
    const line = i % 10_000 === 9_999 ? `${i} ${'x'.repeat(1_200_000)}\n` : `${i} line ${i % 7 === 0 ? 'café €' : 'plain'} ${'y'.repeat(i % 50)}\n`;
    expected.push(line);
    const full = writer.write(line);
    if (full) await full;
  }
  await writer.drain();
  await handle.close();
  const content = await readFile(path, 'utf8');
  expect(content === expected.join('')).toBe(true);
  expect(writer.bytes).toBe(Buffer.byteLength(content));
});
