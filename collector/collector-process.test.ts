// The collector as it runs on a node: its real entry point in a child process, real files
// being written while it reads, a stand-in ingest route on loopback. These are the failures a
// DaemonSet meets: being killed at any moment, a server away for a while, its output gone
// (collector-latency.test.ts has a pod that floods its log while another writes one line).
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIngestStandIn, type IngestStandIn } from './test-support/ingest-stand-in';
import { block, CONTAINER_LOGS, nodeUnderTest } from './test-support/node-under-test';
import { criLine } from './test-support/temp-dir';
import { waitFor } from './test-support/wait-for';

const MiB = 1024 * 1024;
const FILES = CONTAINER_LOGS;
const node = nodeUnderTest();
let standIn: IngestStandIn;
afterEach(async () => {
  await standIn?.close();
});
const collectorProcess = (serverUrl: string) => node.collector(serverUrl);

/** Per file, the line numbers the server stored, in the order it stored them. */
function storedNumbers(): number[][] {
  const byFile: number[][] = FILES.map(() => []);
  for (const message of standIn.messages()) {
    const [file, n] = message.split(' ');
    byFile[Number(file.slice(1))].push(Number(n));
  }
  return byFile;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the collector process', () => {
  it('loses and doubles no line when killed with SIGKILL at any moment and restarted', async () => {
    standIn = await startIngestStandIn();
    const perFile = 20_000;
    let written = 0;
    // Before the writer starts: made while it ran, this emptied the file under its first lines
    // whenever their append finished first, and the test then waited for lines that were gone.
    await fs.writeFile(path.join(node.logDir, FILES[0]), '');
    const writer = (async () => {
      // Every file grows while the collector is killed and restarted under it.
      for (; written < perFile; written += 100) {
        await Promise.all(FILES.map((name, f) => fs.appendFile(path.join(node.logDir, name), block(f, written, 100))));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    for (let kill = 0; kill < 4; kill++) {
      const child = collectorProcess(standIn.url);
      const before = standIn.accepted;
      await waitFor(() => standIn.accepted > before, 'the collector delivering', 30_000);
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      await child.kill();
    }
    // The kills landed while lines were still being written.
    expect(written).toBeLessThan(perFile);
    await writer;
    const last = collectorProcess(standIn.url);
    await waitFor(() => standIn.accepted === perFile * FILES.length, 'every line at the server', 60_000);
    const code = await last.stop();
    expect(code, last.output()).toBe(0);
    expect(storedNumbers()).toEqual(FILES.map(() => range(perFile)));
    expect(standIn.violations).toEqual([]);
  }, 120_000);

  it('keeps every line and its memory while the server is away for 12 s, and delivers all once it is back', async () => {
    standIn = await startIngestStandIn();
    const port = Number(new URL(standIn.url).port);
    const child = collectorProcess(standIn.url);
    await fs.writeFile(path.join(node.logDir, FILES[0]), block(0, 0, 1_000));
    await waitFor(() => standIn.accepted === 1_000, 'the first lines', 30_000);
    const settled = child.rss();

    await standIn.close();
    child.resetPeak();
    const perFile = 25_000; // 4 × 25 000 lines of ~300 bytes: 30 MB the collector must not hold
    const writeStart = Date.now();
    for (let from = 0; from < perFile; from += 2_500) {
      await Promise.all(FILES.map((name, f) => fs.appendFile(path.join(node.logDir, name), block(f, f === 0 ? 1_000 + from : from, 2_500, 300))));
      await new Promise((r) => setTimeout(r, 1_000));
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 12_000 - (Date.now() - writeStart))));
    const peakWhileAway = child.peakRss();

    standIn = await startIngestStandIn({ port });
    const total = perFile * FILES.length;
    await waitFor(() => standIn.accepted === total, 'every line written while the server was away', 60_000);
    const numbers = storedNumbers();
    expect(numbers[0]).toEqual(range(1_000 + perFile).slice(1_000));
    for (const f of [1, 2, 3]) expect(numbers[f]).toEqual(range(perFile));
    expect(standIn.violations).toEqual([]);
    // Reading stopped: the files held the 30 MB, not the collector.
    expect(peakWhileAway - settled).toBeLessThan(25 * MiB);
    expect(peakWhileAway).toBeLessThan(150 * MiB);
  }, 150_000);

  it('keeps collecting, and stops on SIGTERM, after whatever read its output has gone', async () => {
    standIn = await startIngestStandIn();
    const child = collectorProcess(standIn.url);
    await fs.writeFile(path.join(node.logDir, FILES[0]), block(0, 0, 100));
    await waitFor(() => standIn.accepted === 100, 'the first lines', 30_000);
    // `npm run collector | head`, or a log shipper on the other end of a pipe that crashed.
    child.child.stdout!.destroy();
    child.child.stderr!.destroy();

    // A file the collector logs a line about (its name is not a container log's), then more lines.
    await fs.writeFile(path.join(node.logDir, 'odd.log'), criLine('odd 0'));
    await fs.appendFile(path.join(node.logDir, FILES[0]), block(0, 100, 100));
    await waitFor(() => standIn.accepted === 201, 'the lines written after the output went', 30_000);
    expect(await child.stop()).toBe(0);
  }, 60_000);
});
