// The server killed with SIGKILL while collectors send, then restarted, and each collector
// resending the batch it got no answer for, as the real one does. Everything acknowledged must
// still be there, and the resent batches stored once: exactly the entries sent, no more, no fewer.
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { IngestBatch } from '@/common/ingest-batch';
import { waitFor } from '@/collector/test-support/wait-for';
import { LogStore } from '@/server/store/duckdb/log-store';
import { batch, lines } from '@/server/testing/batches';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { storedEntries } from '@/server/store/duckdb/store-queries';
import { tempDir } from '@/server/testing/temp-dir';
import { replayJournalRecord } from '@/server/ingest/journal-replay';

const SENDERS = 3;
const PER_BATCH = 1000;
const CRASHES = 2;

let dir: string;
let cleanup: () => Promise<void>;
let server: ServerProcess | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await server?.kill();
  server = undefined;
  await cleanup();
});

/** One collector's file: batches of consecutive offsets, the next one only after a 2xx. */
class Sender {
  private next = 0;
  /** The batch sent without an answer: the collector sends it again, as its offsets were not saved. */
  unanswered: IngestBatch | undefined;
  readonly sent: IngestBatch[] = [];
  acknowledged = 0;

  constructor(private readonly name: string) {}

  async run(url: string): Promise<void> {
    for (;;) {
      const body = this.unanswered ?? this.batch();
      this.unanswered = body;
      const ok = await send(url, body).then((r) => r.ok, () => false);
      if (!ok) return; // the server is gone: keep the batch for after the restart
      this.unanswered = undefined;
      this.acknowledged++;
    }
  }

  private batch(): IngestBatch {
    const k = this.next++;
    const body = batch(
      lines({ source: this.name, file: `${this.name}:1`, firstOffset: k * PER_BATCH * 100, count: PER_BATCH, startMs: Date.now(), message: (i) => `${this.name} batch ${k} entry ${i}` }),
    );
    this.sent.push(body);
    return body;
  }
}

function send(url: string, body: IngestBatch): Promise<Response> {
  return fetch(`${url}/api/ingest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

it('stores exactly the entries sent when killed with SIGKILL during steady ingest, restarted, and sent the unanswered batches again', async () => {
  const senders = Array.from({ length: SENDERS }, (_, s) => new Sender(`app-${s}`));
  for (let crash = 0; crash < CRASHES; crash++) {
    server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
    const url = server.url;
    const before = senders.map((s) => s.acknowledged);
    const sending = Promise.all(senders.map((s) => s.run(url)));
    // Steady ingest under way on every sender (each has had answers since the restart), then the crash.
    await waitFor(() => senders.every((s, i) => s.acknowledged >= before[i] + 3), 'every sender to be acknowledged three batches', 60_000);
    await server.kill();
    await sending;
    server = undefined;
  }
  // After the last restart, the collectors' resends: the crash came while batches were in flight.
  expect(senders.filter((s) => s.unanswered).length).toBeGreaterThan(0);
  server = await startServer({ LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' });
  for (const sender of senders.filter((s) => s.unanswered)) {
    const answer = await send(server.url, sender.unanswered!);
    expect(answer.status).toBe(200);
    const { accepted, duplicates } = (await answer.json()) as { accepted: number; duplicates: number };
    expect(accepted + duplicates).toBe(PER_BATCH);
  }
  await server.stop();
  server = undefined;

  const store = await LogStore.open({ replay: replayJournalRecord, dataDir: dir, retentionMs: null, maxDiskBytes: null, background: false });
  const stored = await storedEntries(store);
  await store.close();
  const sent = senders.flatMap((s) => s.sent.flatMap((b) => b.entries.map((e) => `${e.file} ${e.offset} ${e.message}`))).sort();
  expect(stored.length).toBe(sent.length);
  expect(stored).toEqual(sent);
});
