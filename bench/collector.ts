// `npm run bench:collector`: the collector's throughput and memory, measured on its real entry
// point (collector/main.ts) in a child process pinned to one core, reading real files and
// sending to a loopback ingest stand-in that counts and discards (it runs here, on the other
// core, with the file writer).
//
//   npm run bench:collector                       # 200 files appended while read: lines/s, peak RSS
//   npm run bench:collector -- --backlog 1GiB     # catch up a backlog: time, lines/s, peak RSS
//   npm run bench:collector -- --soak 10          # 10 minutes with pod churn and rotation: RSS over time
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseSize } from '../common/units';
import { corpusChunks, finish, launch, log, mib, pinSelf, startRun, waitDelivered, collectorCounters } from './collector-run';

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    files: { type: 'string', default: '200' },
    backlog: { type: 'string' },
    soak: { type: 'string' },
    rate: { type: 'string', default: '3000' },
    multiline: { type: 'string', default: '1' },
  },
});

/** 200 files, half their lines there at the start, the rest appended round robin while the collector reads. */
async function throughput(pinned: boolean): Promise<void> {
  const lines = Number(values.lines);
  log(`generating ${lines.toLocaleString()} corpus lines over ${values.files} files…`);
  const { names, chunks } = corpusChunks(lines, Number(values.files));
  const total = chunks.flat().reduce((n, c) => n + c.lines, 0);
  const bytes = chunks.flat().reduce((n, c) => n + Buffer.byteLength(c.text), 0);
  const setup = await startRun();
  const handles = await Promise.all(names.map((name) => fs.open(path.join(setup.logDir, name), 'a')));
  const next = chunks.map((list) => Math.floor(list.length / 2));
  await Promise.all(handles.map((h, f) => h.write(chunks[f].slice(0, next[f]).map((c) => c.text).join(''))));
  const run = launch(setup, pinned, { LOGPOND_MULTILINE: values.multiline! });
  // Timing starts at the first delivery: the boot (loading TypeScript) is not throughput.
  while (run.standIn.accepted === 0) await new Promise((r) => setTimeout(r, 5));
  const started = Date.now();
  const startedLines = (await collectorCounters(run))?.linesRead ?? 0;
  const startedCpu = cpuSeconds(run.child.child.pid);
  let appending = true;
  const appender = (async () => {
    while (appending) {
      let wrote = false;
      for (let f = 0; f < handles.length; f++) {
        if (next[f] >= chunks[f].length) continue;
        await handles[f].write(chunks[f][next[f]++].text);
        wrote = true;
      }
      if (!wrote) return;
    }
  })();
  const { readAt, deliveredAt } = await waitDelivered(run, total, 600_000);
  const cpu = cpuSeconds(run.child.child.pid) - startedCpu;
  appending = false;
  await appender;
  await Promise.all(handles.map((h) => h.close()));
  const seconds = (readAt - started) / 1000;
  log('');
  log(`| figure | value | target |`);
  log(`|---|---|---|`);
  log(`| lines read, ${names.length} files appended while read (every batch but the last acknowledged by then) | ${Math.round((total - startedLines) / seconds).toLocaleString()} lines/s (${((bytes / 1024 / 1024) * ((total - startedLines) / total) / seconds).toFixed(0)} MiB/s) | ≥ 200,000 |`);
  log(`| the last lines acknowledged | ${((deliveredAt - readAt) / 1000).toFixed(1)} s after they were read (a batch waits up to 1 s for more) | |`);
  log(`| entries at the server (stack traces joined: ${values.multiline === '0' ? 'off' : 'on'}) | ${run.standIn.accepted.toLocaleString()} of ${total.toLocaleString()} lines | |`);
  log(`| collector peak RSS | ${mib(run.child.peakRss())} | < 100 MiB |`);
  // Steadier than lines/s on a shared machine: what each line cost the collector's core.
  log(`| collector CPU per line | ${((cpu / (total - startedLines)) * 1e6).toFixed(2)} µs (${Math.round((cpu / seconds) * 100)} % of its core) | ≤ 5 µs |`);
  log(`| collector core | ${pinned ? 'one (taskset -c 0), zlib threads included' : 'not pinned'} | |`);
  await finish(run);
}

/** A backlog of `size` bytes over 20 files, there before the collector starts. */
async function backlog(pinned: boolean, size: number): Promise<void> {
  const setup = await startRun();
  log(`writing a ${mib(size)} backlog…`);
  const files = 20;
  const handles = await Promise.all(Array.from({ length: files }, (_, i) => fs.open(path.join(setup.logDir, `backlog-${i}_bench_app-${String(i).padStart(8, '0')}.log`), 'w')));
  const { chunks } = corpusChunks(200_000, files);
  const sample = chunks.flat();
  let written = 0;
  let lines = 0;
  for (let i = 0; written < size; i++) {
    const chunk = sample[i % sample.length];
    await handles[i % files].write(chunk.text);
    written += Buffer.byteLength(chunk.text);
    lines += chunk.lines;
  }
  await Promise.all(handles.map((h) => h.close()));
  const run = launch(setup, pinned, { LOGPOND_MULTILINE: values.multiline! });
  const rssSamples: number[] = [];
  const sampler = setInterval(() => {
    rssSamples.push(run.child.rss());
    if (process.env.LOGPOND_BENCH_SHOW_OUTPUT === '1') {
      void fetch(`http://127.0.0.1:${run.port}/metrics`).then((r) => r.text()).then((text) => {
        const pick = (name: string) => mib(Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? 0));
        log(`rss ${pick('process_resident_memory_bytes')} heap ${pick('nodejs_heap_size_used_bytes')}/${pick('nodejs_heap_size_total_bytes')} external ${pick('nodejs_external_memory_bytes')}`);
      }, () => undefined);
    }
  }, 1_000);
  while (run.standIn.accepted === 0) await new Promise((r) => setTimeout(r, 5));
  const started = Date.now();
  const { readAt, deliveredAt } = await waitDelivered(run, lines, 1_800_000);
  clearInterval(sampler);
  const seconds = (readAt - started) / 1000;
  const live = rssSamples.filter((x) => x > 0);
  log(`collector RSS each second: ${live.map((x) => (x / 1024 / 1024).toFixed(0)).join(' ')} MiB`);
  log('');
  log(`| figure | value | target |`);
  log(`|---|---|---|`);
  log(`| ${mib(written)} backlog (${lines.toLocaleString()} lines, ${files} files) read in | ${seconds.toFixed(1)} s = ${Math.round(lines / seconds).toLocaleString()} lines/s; all acknowledged ${((deliveredAt - readAt) / 1000).toFixed(1)} s later | |`);
  log(`| collector RSS while catching up: min / max (1 s samples) | ${mib(Math.min(...live))} / ${mib(Math.max(...live))} | < 100 MiB, flat |`);
  log(`| collector peak RSS (100 ms samples) | ${mib(run.child.peakRss())} | < 100 MiB |`);
  await finish(run);
}

async function main(): Promise<void> {
  const pinned = pinSelf();
  if (!pinned) log('taskset is missing or there is one core: the collector is not pinned');
  if (values.backlog !== undefined) {
    const size = parseSize(values.backlog);
    if (size === undefined) throw new Error(`--backlog: not a size: ${values.backlog}`);
    return backlog(pinned, size);
  }
  if (values.soak !== undefined) {
    const { soak } = await import('./collector-soak');
    return soak({ minutes: Number(values.soak), rate: Number(values.rate), pinned, multiline: values.multiline! });
  }
  return throughput(pinned);
}

main().catch((err: unknown) => {
  log(`bench:collector failed: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});

/** User + system CPU seconds a process has used so far (from /proc; 0 where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return 0;
  }
}
