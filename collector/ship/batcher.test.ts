import { describe, expect, it } from 'vitest';
import type { SourceMeta } from '../../common/ingest-batch';
import type { TailedEntry } from '../tail/file-tailer';
import { Batcher } from './batcher';

const source = (path: string): SourceMeta => ({
  key: `node-1/${path}`,
  node: 'node-1',
  namespace: 'ns',
  pod: path,
  podUid: '',
  container: 'c',
  containerId: path,
  labels: {},
  annotations: {},
});

const entry = (path: string, offset: number, message = 'm'): TailedEntry => ({
  path,
  file: `file-of-${path}`,
  offset,
  resume: offset + 10,
  ts: '2026-01-01T00:00:00Z',
  stream: 'stdout',
  message,
  truncated: false,
});

describe('Batcher', () => {
  it('lists every referenced source once and commits each path to its last entry', () => {
    let now = 0;
    const batcher = new Batcher({ collector: { id: 'c', node: 'node-1' }, sourceFor: source, now: () => now });
    batcher.add(entry('a', 0));
    batcher.add(entry('b', 0));
    batcher.add(entry('a', 10));
    expect(batcher.take()).toBeUndefined();
    expect(batcher.dueInMs()).toBe(1000);
    now = 1000;
    batcher.sealIfDue();
    const batch = batcher.take()!;
    expect(batch.body.sources.map((s) => s.key)).toEqual(['node-1/a', 'node-1/b']);
    expect(batch.body.entries.map((e) => [e.source, e.offset])).toEqual([
      ['node-1/a', 0],
      ['node-1/b', 0],
      ['node-1/a', 10],
    ]);
    expect([...batch.commits]).toEqual([
      ['a', { file: 'file-of-a', offset: 20 }],
      ['b', { file: 'file-of-b', offset: 10 }],
    ]);
    expect(batcher.isEmpty).toBe(true);
  });

  it('closes a batch by size and has no room once two wait', () => {
    const sealed: number[] = [];
    const batcher = new Batcher({
      collector: { id: 'c', node: 'node-1' },
      sourceFor: source,
      maxBytes: 1000,
      onSealed: () => sealed.push(1),
    });
    batcher.add(entry('a', 0, 'x'.repeat(900)));
    expect(sealed).toHaveLength(1);
    expect(batcher.hasRoom).toBe(true);
    batcher.add(entry('a', 10, 'x'.repeat(900)));
    expect(batcher.hasRoom).toBe(false);
    expect(batcher.take()!.body.entries[0].offset).toBe(0);
    expect(batcher.hasRoom).toBe(true);
  });
});
