import { isAscii } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import type { IngestBatch, SourceMeta } from '../../common/ingest-batch';
import type { TailedEntry } from '../tail/file-tailer';
import { Batcher, serializeBody } from './batcher';

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
  it('lists every referenced source once, names it by its index there, and commits each path to its last entry', () => {
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
    const entries = (JSON.parse(serializeBody(batch.body).toString()) as IngestBatch).entries;
    expect(entries.map((e) => [e.source, e.offset])).toEqual([
      [0, 0],
      [1, 0],
      [0, 10],
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
    expect((JSON.parse(serializeBody(batcher.take()!.body).toString()) as IngestBatch).entries[0]).toMatchObject({ offset: 0 });
    expect(batcher.hasRoom).toBe(true);
  });

  it('serializes what JSON.stringify would, hostile messages and a truncated flag included', () => {
    const batcher = new Batcher({ collector: { id: 'c', node: 'node-1' }, sourceFor: source });
    const messages = ['plain', 'quote " backslash \\ newline \n tab \t', '\u0000\u001f control', 'emoji 🙂 and é', '</script>'];
    messages.forEach((message, i) => batcher.add({ ...entry('a', i * 100, message), truncated: i === 1 }));
    batcher.sealNow();
    const body = batcher.take()!.body;
    const parsed = JSON.parse(serializeBody(body).toString()) as IngestBatch;
    expect(parsed.entries.map((e) => e.message)).toEqual(messages.map((m) => JSON.parse(JSON.stringify(m))));
    expect(parsed.entries.map((e) => e.truncated ?? false)).toEqual([false, true, false, false, false]);
    expect(parsed.entries[0]).toEqual({ source: 0, file: 'file-of-a', offset: 0, ts: '2026-01-01T00:00:00Z', stream: 'stdout', message: 'plain' });
    expect(parsed.sources[0].key).toBe('node-1/a');
  });

  it('sends a body of ASCII bytes only, whatever the messages, labels and file names hold', () => {
    const labelled = (path: string): SourceMeta => ({ ...source(path), labels: { team: 'équipe 🙂' }, annotations: { note: 'ж' } });
    const batcher = new Batcher({ collector: { id: 'c', node: 'nœud-1' }, sourceFor: labelled });
    const messages = ['café', 'emoji 🙂 "quoted"', 'lone \udc00 low', '\u2028 line separator'];
    messages.forEach((message, i) => batcher.add({ ...entry('pod-ü', i * 100, message), file: 'fichier-ü' }));
    batcher.sealNow();
    const bytes = serializeBody(batcher.take()!.body);
    expect(isAscii(bytes)).toBe(true);
    const parsed = JSON.parse(bytes.toString('latin1')) as IngestBatch;
    expect(parsed.entries.map((e) => e.message)).toEqual(['café', 'emoji 🙂 "quoted"', 'lone \ufffd low', '\u2028 line separator']);
    expect(parsed.entries[0].file).toBe('fichier-ü');
    expect(parsed.collector.node).toBe('nœud-1');
    expect(parsed.sources[0]).toMatchObject({ pod: 'pod-ü', labels: { team: 'équipe 🙂' }, annotations: { note: 'ж' } });
  });
});
