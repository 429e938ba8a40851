import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckpointError } from '../errors';
import { makeTempDir } from '../test-support/temp-dir';
import { loadCheckpoint, MIN_SAVE_INTERVAL_MS } from './checkpoint';

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

  it('folds background saves asked for meanwhile into one with the newest state, at most one per interval', async () => {
    const file = path.join(temp.dir, 'c.json');
    const checkpoint = await loadCheckpoint(file);
    const offsetOnDisk = async () => (await loadCheckpoint(file)).get('/logs/a.log')?.offset;
    const started = Date.now();
    checkpoint.commit('/logs/a.log', 'f', 1);
    await checkpoint.saveSoon();
    expect(await offsetOnDisk()).toBe(1);
    const saves = [];
    for (let offset = 2; offset <= 50; offset++) {
      checkpoint.commit('/logs/a.log', 'f', offset);
      saves.push(checkpoint.saveSoon());
    }
    expect(new Set(saves).size).toBe(1); // one save for all of them
    await saves[0];
    expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_SAVE_INTERVAL_MS - 5);
    expect(await offsetOnDisk()).toBe(50);
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
