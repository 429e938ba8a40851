import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors';
import { makeTempDir } from '../test-support/temp-dir';
import { loadCheckpoint } from './checkpoint';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(() => temp.remove());

describe('Checkpoint', () => {
  it('is empty when there is no file, and round-trips what was saved', async () => {
    const file = path.join(temp.dir, 'nested', 'checkpoint.json');
    const checkpoint = await loadCheckpoint(file);
    expect(checkpoint.size).toBe(0);
    checkpoint.commit('/logs/a.log', '1:2:abc', 42);
    checkpoint.commit('/logs/b.log', '1:3:def', 7);
    checkpoint.forget('/logs/b.log');
    await checkpoint.save();
    expect(await fs.readdir(path.dirname(file))).toEqual(['checkpoint.json']);
    const again = await loadCheckpoint(file);
    expect(again.get('/logs/a.log')).toEqual({ file: '1:2:abc', offset: 42 });
    expect(again.get('/logs/b.log')).toBeUndefined();
  });

  it('keeps only the paths it is told still exist', async () => {
    const checkpoint = await loadCheckpoint(path.join(temp.dir, 'c.json'));
    checkpoint.commit('/a.log', 'x', 1);
    checkpoint.commit('/b.log', 'y', 2);
    checkpoint.retainOnly(['/b.log']);
    expect([checkpoint.get('/a.log'), checkpoint.get('/b.log')]).toEqual([undefined, { file: 'y', offset: 2 }]);
  });

  it('refuses a file that is not a checkpoint', async () => {
    const file = path.join(temp.dir, 'c.json');
    await fs.writeFile(file, '{"version": 1, "files": ');
    await expect(loadCheckpoint(file)).rejects.toBeInstanceOf(CheckpointError);
    await fs.writeFile(file, '{"version": 2}');
    await expect(loadCheckpoint(file)).rejects.toThrow('not a version 1 checkpoint');
  });
});
