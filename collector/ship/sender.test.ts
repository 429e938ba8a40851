import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IngestBatch } from '../../common/ingest-batch';
import { StoppedError } from '../errors';
import { silentLogger } from '../log';
import { CollectorMetrics } from '../metrics';
import { startIngestStandIn, type IngestStandIn } from '../test-support/ingest-stand-in';
import { waitFor } from '../test-support/wait-for';
import { IngestSender } from './sender';

const batch: IngestBatch = {
  collector: { id: 'c', node: 'n' },
  sources: [
    { key: 'n/1', node: 'n', namespace: 'ns', pod: 'p', podUid: '', container: 'c', containerId: '1', labels: {}, annotations: {} },
  ],
  entries: [{ source: 'n/1', file: '1:2:ab', offset: 0, ts: '2026-01-01T00:00:00Z', stream: 'stdout', message: 'hi' }],
};

let standIn: IngestStandIn;
let metrics: CollectorMetrics;
beforeEach(async () => {
  standIn = await startIngestStandIn({ token: 'secret' });
  metrics = new CollectorMetrics();
});
afterEach(() => standIn.close());

const sender = (token = 'secret') =>
  new IngestSender({ url: standIn.url, token, metrics, log: silentLogger, retryBaseDelayMs: 5, retryMaxDelayMs: 20 });

describe('IngestSender', () => {
  it('sends a gzipped batch with the token and retries 503 until it is accepted', async () => {
    standIn.failNext(3);
    const outcome = await sender().send(JSON.stringify(batch), 1, new AbortController().signal);
    expect(outcome).toEqual({ kind: 'accepted', result: { accepted: 1, duplicates: 0 } });
    expect([standIn.requests, metrics.batchRetries, standIn.messages()]).toEqual([4, 3, ['hi']]);
  });

  it.each([400, 401, 403, 422])('drops the batch on %i without retrying', async (status) => {
    standIn.failNext(1, status);
    const outcome = await sender().send(JSON.stringify(batch), 1, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'dropped', status });
    expect([standIn.requests, metrics.batchRetries]).toEqual([1, 0]);
  });

  it('hands a batch over the size limit (413) back to be split, without retrying it whole', async () => {
    standIn.failNext(1, 413);
    expect(await sender().send(JSON.stringify(batch), 1, new AbortController().signal)).toEqual({ kind: 'too_large' });
    expect(standIn.requests).toBe(1);
  });

  it('retries 429 like an outage', async () => {
    standIn.failNext(2, 429);
    expect(await sender().send(JSON.stringify(batch), 1, new AbortController().signal)).toMatchObject({ kind: 'accepted' });
    expect([standIn.requests, metrics.batchRetries]).toEqual([3, 2]);
  });

  it('drops the batch when the token is wrong', async () => {
    expect(await sender('wrong').send(JSON.stringify(batch), 1, new AbortController().signal)).toMatchObject({ kind: 'dropped', status: 401 });
  });

  it('retries a refused connection and gives up with StoppedError when stopped', async () => {
    const url = standIn.url;
    await standIn.close();
    const abort = new AbortController();
    const stopped = new IngestSender({ url, metrics, log: silentLogger, retryBaseDelayMs: 5, retryMaxDelayMs: 20 })
      .send(JSON.stringify(batch), 1, abort.signal)
      .catch((err: unknown) => err);
    await waitFor(() => metrics.batchRetries >= 2, 'two retries');
    abort.abort();
    expect(await stopped).toBeInstanceOf(StoppedError);
  });
});
