// The collector's promise of freshness, in a file of its own because it is a latency: Vitest
// runs it alone (vitest.config.ts), with nothing else on the cores. The collector's real entry
// point in a child process reads real files and ships to a stand-in ingest route on loopback.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIngestStandIn, type IngestStandIn } from './test-support/ingest-stand-in';
import { block, CONTAINER_LOGS, nodeUnderTest } from './test-support/node-under-test';
import { criLine } from './test-support/temp-dir';
import { waitFor } from './test-support/wait-for';

const node = nodeUnderTest();
let standIn: IngestStandIn;
afterEach(async () => {
  await standIn?.close();
});

describe('the collector process', () => {
  it('delivers a line written to a quiet file within 2 s while another file has a million-line backlog', async () => {
    const quiet = CONTAINER_LOGS[1];
    let arrivedAt = 0;
    let backlogAtArrival = 0;
    standIn = await startIngestStandIn({
      countOnly: true,
      onStored: (entry) => {
        if (entry.message.startsWith('f1 ')) {
          arrivedAt = Date.now();
          backlogAtArrival = standIn.accepted;
        }
      },
    });
    const backlogLines = 1_000_000;
    const handle = await fs.open(path.join(node.logDir, CONTAINER_LOGS[0]), 'w');
    for (let from = 0; from < backlogLines; from += 50_000) await handle.write(block(0, from, 50_000));
    await handle.close();
    await fs.writeFile(path.join(node.logDir, quiet), '');
    node.collector(standIn.url);
    await waitFor(() => standIn.accepted > 50_000, 'the backlog flowing', 30_000);

    const writtenAt = Date.now();
    await fs.appendFile(path.join(node.logDir, quiet), criLine('f1 0 the quiet file speaks'));
    await waitFor(() => arrivedAt > 0, 'the quiet line', 10_000);
    expect(arrivedAt - writtenAt).toBeLessThan(2_000);
    // It did not wait for the backlog to drain.
    expect(backlogAtArrival).toBeLessThan(backlogLines);
    await waitFor(() => standIn.accepted === backlogLines + 1, 'the whole backlog', 90_000);
  }, 150_000);
});
