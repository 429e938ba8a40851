import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { criLine, makeTempDir } from '../test-support/temp-dir';
import { FileTailer, REMOVED_GRACE_MS, ROTATED_FILE_GRACE_MS, type FileErrorKind, type TailedEntry } from './file-tailer';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let tailers: FileTailer[] = [];

beforeEach(async () => {
  temp = await makeTempDir();
});
afterEach(async () => {
  await Promise.all(tailers.map((t) => t.close()));
  tailers = [];
  await temp.remove();
});

function tailer(file: string, extra: Partial<ConstructorParameters<typeof FileTailer>[0]> = {}): FileTailer {
  const t = new FileTailer({ path: file, maxLineBytes: 1024, ...extra });
  tailers.push(t);
  return t;
}

/** Reads until a call brings nothing: every byte written so far has been looked at. */
async function drain(t: FileTailer, chunk = 64 * 1024): Promise<{ entries: TailedEntry[]; done: boolean }> {
  const entries: TailedEntry[] = [];
  for (;;) {
    const read = await t.read(chunk);
    entries.push(...read.entries);
    if (read.done) return { entries, done: true };
    if (read.bytes === 0 && read.entries.length === 0) return { entries, done: false };
  }
}

const messages = (entries: TailedEntry[]) => entries.map((e) => e.message);

describe('FileTailer', () => {
  it('reads appended lines, and a partial line only once its newline arrives', async () => {
    const file = path.join(temp.dir, 'app.log');
    await fs.writeFile(file, criLine('one') + criLine('two'));
    const t = tailer(file);
    const first = await drain(t, 20);
    expect(messages(first.entries)).toEqual(['one', 'two']);
    expect(first.entries[1].offset).toBe(criLine('one').length);

    const three = criLine('three');
    await fs.appendFile(file, three.slice(0, 45));
    expect((await drain(t)).entries).toEqual([]);
    await fs.appendFile(file, three.slice(45) + criLine('four'));
    const rest = await drain(t);
    expect(messages(rest.entries)).toEqual(['three', 'four']);
    expect(new Set([...first.entries, ...rest.entries].map((e) => e.file)).size).toBe(1);
  });

  it('starts over at 0 with a new file id when the file is truncated', async () => {
    const file = path.join(temp.dir, 'app.log');
    await fs.writeFile(file, criLine('same first line') + criLine('a rather long second line'));
    const notices: string[] = [];
    const t = tailer(file, { onNotice: (m) => notices.push(m) });
    const before = await drain(t);
    expect(messages(before.entries)).toEqual(['same first line', 'a rather long second line']);

    await fs.truncate(file, 0);
    await fs.appendFile(file, criLine('same first line') + criLine('short'));
    const after = await drain(t);
    expect(messages(after.entries)).toEqual(['same first line', 'short']);
    expect(after.entries[0].offset).toBe(0);
    // Same inode, same first line: still a new generation, or the server's high-water mark
    // would discard the new lines as duplicates.
    expect(after.entries[0].file).not.toBe(before.entries[0].file);
    expect(notices).toHaveLength(1);
  });

  it('drains the old file after a rotation, then reads the new one from 0, losing and doubling nothing', async () => {
    const file = path.join(temp.dir, '0.log');
    await fs.writeFile(file, criLine('1') + criLine('2'));
    const t = tailer(file);
    const before = await drain(t);

    // Renamed, written to under its new name, and only then replaced by a new file.
    await fs.rename(file, `${file}.1`);
    await fs.appendFile(`${file}.1`, criLine('3'));
    const during = await drain(t);
    await fs.writeFile(file, criLine('4') + criLine('5'));
    const after = await drain(t);
    after.entries.unshift(...during.entries);

    const all = [...before.entries, ...after.entries];
    expect(messages(all)).toEqual(['1', '2', '3', '4', '5']);
    const oldId = all[0].file;
    expect(all.map((e) => e.file === oldId)).toEqual([true, true, true, false, false]);
    expect(after.entries[1].offset).toBe(0);
    expect(during.done).toBe(false);
  });

  it('still reads a rotated-away file that is written after the switch, until it has been quiet', async () => {
    const file = path.join(temp.dir, '0.log');
    let now = new Date('2026-01-01T00:00:00Z');
    const t = tailer(file, { now: () => now });
    await fs.writeFile(file, criLine('1'));
    const before = await drain(t);

    await fs.rename(file, `${file}.1`);
    await fs.writeFile(file, criLine('3'));
    const switched = await drain(t);
    // The writer reopens only now; until then it wrote to the renamed file.
    await fs.appendFile(`${file}.1`, criLine('2'));
    const late = await drain(t);

    expect(messages([...before.entries, ...switched.entries, ...late.entries])).toEqual(['1', '3', '2']);
    expect(late.entries[0]).toMatchObject({ file: before.entries[0].file, rotated: true, offset: criLine('1').length });
    expect(switched.entries[0].rotated).toBeUndefined();

    now = new Date(now.getTime() + ROTATED_FILE_GRACE_MS);
    await drain(t);
    await fs.appendFile(`${file}.1`, criLine('too late'));
    await fs.appendFile(file, criLine('4'));
    expect(messages((await drain(t)).entries)).toEqual(['4']);
  });

  it('reads a file rotated away before its first line was complete, as the writer goes on with it', async () => {
    const file = path.join(temp.dir, '0.log');
    let now = new Date('2026-01-01T00:00:00Z');
    const lost: number[] = [];
    const t = tailer(file, { now: () => now, onLost: (_, bytes) => lost.push(bytes) });
    const first = criLine('first');
    await fs.writeFile(file, first.slice(0, 20));
    await drain(t);
    // Rotated while the first line is half written: the file has no id yet when the switch is seen.
    await fs.rename(file, `${file}.1`);
    await fs.writeFile(file, criLine('new'));
    const switched = await drain(t);
    await fs.appendFile(`${file}.1`, first.slice(20) + criLine('second'));
    const late = await drain(t);
    now = new Date(now.getTime() + ROTATED_FILE_GRACE_MS);
    const quiet = await drain(t);
    expect(messages([...switched.entries, ...late.entries, ...quiet.entries]).sort()).toEqual(['first', 'new', 'second']);
    expect(lost).toEqual([]);
  });

  it('resumes from a checkpoint of the same generation, and from 0 for another one', async () => {
    const file = path.join(temp.dir, 'app.log');
    await fs.writeFile(file, criLine('acknowledged') + criLine('not yet'));
    const first = await drain(tailer(file));
    const ack = first.entries[0];

    const resumed = await drain(tailer(file, { start: { file: ack.file, offset: ack.resume } }));
    expect(messages(resumed.entries)).toEqual(['not yet']);

    const other = await drain(tailer(file, { start: { file: '1:2:00000000deadbeef', offset: ack.resume } }));
    expect(messages(other.entries)).toEqual(['acknowledged', 'not yet']);
  });

  it('reads what is left of a deleted file, then reports it done', async () => {
    const file = path.join(temp.dir, 'gone.log');
    await fs.writeFile(file, criLine('first'));
    let now = Date.now();
    const t = tailer(file, { now: () => new Date(now) });
    await drain(t);
    await fs.appendFile(file, criLine('last words'));
    await fs.unlink(file);
    t.markRemoved();
    const rest = await drain(t);
    expect(messages(rest.entries)).toEqual(['last words']);
    // A delete may be half of a rotation (the path comes back): the tailer waits a moment.
    expect([rest.done, t.isClosed]).toEqual([false, false]);
    now += REMOVED_GRACE_MS;
    expect((await drain(t)).done).toBe(true);
    expect(t.isClosed).toBe(true);
  });

  it('reports a path it cannot read instead of throwing', async () => {
    const dir = path.join(temp.dir, 'x.log');
    await fs.mkdir(dir);
    const errors: Array<[FileErrorKind, string, boolean]> = [];
    const t = tailer(dir, { onError: (_p, kind, err, repeated) => errors.push([kind, (err as Error).message, repeated]) });
    expect(await t.read(1024)).toMatchObject({ bytes: 0, done: false });
    expect(errors).toEqual([['file_open', `${dir} is not a regular file`, false]]);
  });
});
