// Shippers' protocols against the real server: lines sent by third-party client libraries (the
// OpenTelemetry JS SDK's OTLP exporters, winston-loki, pino-loki) are found through /api/search
// with the source fields a click filters on; resends, crashes and bad requests as a shipper meets them.
import { gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpHttpExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import pino from 'pino';
import { pinoLoki } from 'pino-loki';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '@/common/read-api';
import { type ServerProcess, startServer } from '@/server/testing/server-process';
import { ENGINES, engineEnv } from '@/server/testing/storage';
import { tempDir } from '@/server/testing/temp-dir';

const TOKEN = 'shipper-token';
const marker = () => `m${Math.random().toString(36).slice(2, 10)}`;

async function search(server: ServerProcess, q: string): Promise<SearchResponse> {
  const response = await fetch(`${server.url}/api/search?${new URLSearchParams({ q, from: 'now-1h', limit: '100' })}`);
  expect(response.status).toBe(200);
  return response.json();
}

/** The hits of `q` with their source's fields, oldest first. */
async function found(server: ServerProcess, q: string) {
  const { hits, sources } = await search(server, q);
  return hits.reverse().map((hit) => ({ message: hit.message, level: hit.level, stream: hit.stream, fields: hit.fields, source: sources[hit.source] }));
}

function lokiJson(streams: { stream: Record<string, string>; values: string[][] }[]) {
  return JSON.stringify({ streams });
}

describe.each(ENGINES)('shippers into %s', (engine) => {
  let server: ServerProcess;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    // Decode workers: requests finish decoding out of order, as on a server with cores to spare.
    server = await startServer({ ...engineEnv(engine, dir), LOGPOND_DATA_DIR: dir, LOGPOND_INGEST_TOKEN: TOKEN, LOGPOND_MAX_BATCH: '1MiB', LOGPOND_INGEST_WORKERS: '2' });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await cleanup();
  });

  it.each([
    ['protobuf, gzip', () => new OtlpProtoExporter({ url: `${server.url}/v1/logs`, headers: { Authorization: `Bearer ${TOKEN}` }, compression: 'gzip' as never })],
    ['JSON', () => new OtlpHttpExporter({ url: `${server.url}/v1/logs`, headers: { Authorization: `Bearer ${TOKEN}` } })],
  ])('the OpenTelemetry SDK exporter (%s) delivers records, found with their pod and attributes', async (_, exporter) => {
    const id = marker();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'k8s.namespace.name': 'shop', 'k8s.pod.name': 'checkout-1', 'k8s.container.name': 'api', 'service.name': 'checkout' }),
      processors: [new BatchLogRecordProcessor({ exporter: exporter() })],
    });
    const logger = provider.getLogger('orders');
    logger.emit({ severityNumber: SeverityNumber.INFO, body: `order placed ${id}`, attributes: { 'order.id': 42 } });
    logger.emit({ severityNumber: SeverityNumber.ERROR, body: { msg: `card declined ${id}`, code: 402 } });
    await provider.forceFlush();
    await provider.shutdown();
    const hits = await found(server, id);
    expect(hits).toEqual([
      { message: `order placed ${id}`, level: 'info', stream: 'stdout', fields: { 'order.id': 42 }, source: expect.objectContaining({ namespace: 'shop', pod: 'checkout-1', container: 'api' }) },
      { message: `{"msg":"card declined ${id}","code":402}`, level: 'error', stream: 'stdout', fields: { msg: `card declined ${id}`, code: 402 }, source: expect.objectContaining({ namespace: 'shop', pod: 'checkout-1' }) },
    ]);
    // The same clicks as for a collector's line: namespace, pod, and a resource attribute as a label.
    expect(await found(server, `namespace:shop and pod:checkout-1 and labels.service.name:checkout and ${id}`)).toHaveLength(2);
  });

  it('the OTLP exporter reads our answers: success, and a refusal with a Status it does not retry', async () => {
    const memory = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter: memory })] });
    provider.getLogger('answers').emit({ body: `answered ${marker()}` });
    await provider.forceFlush();
    const exportWith = (token: string) =>
      new Promise<ExportResult>((resolve) =>
        new OtlpProtoExporter({ url: `${server.url}/v1/logs`, headers: { Authorization: `Bearer ${token}` } }).export(memory.getFinishedLogRecords(), resolve),
      );
    expect(await exportWith(TOKEN)).toEqual({ code: ExportResultCode.SUCCESS });
    const refused = await exportWith('wrong');
    expect(refused.code).toBe(ExportResultCode.FAILED);
    expect(refused.error).toMatchObject({ code: 401 });
    // The body is a google.rpc.Status in the request's encoding: code UNAUTHENTICATED, then the message.
    const response = await fetch(`${server.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf', authorization: 'Bearer wrong' }, body: new Uint8Array(0) });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const status = Buffer.from(await response.arrayBuffer());
    expect([status[0], status[1], status[2]]).toEqual([0x08, 16, 0x12]);
    expect(status.subarray(4).toString()).toMatch(/bearer token, or basic auth/);
    const json = await fetch(`${server.url}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' }, body: '{}' });
    expect(await json.json()).toEqual({ code: 16, message: expect.stringMatching(/bearer token/) });
  });

  it.each([
    ['protobuf + snappy', false],
    ['JSON', true],
  ])('winston-loki (%s, basic auth) delivers lines, found with their stream labels', async (_, json) => {
    const id = marker();
    const transport = new LokiTransport({
      host: server.url,
      basicAuth: `logpond:${TOKEN}`,
      json,
      labels: { namespace: 'shop', pod: 'web-1', container: 'nginx', app: 'web' },
      interval: 1,
      gracefulShutdown: false,
      timeout: 5000,
      onConnectionError: (err: Error) => console.error(err),
    });
    const logger = winston.createLogger({ transports: [transport] });
    logger.warn(`slow upstream ${id}`);
    await transport.close?.();
    const hits = await found(server, id);
    expect(hits).toEqual([
      expect.objectContaining({ message: expect.stringContaining(`slow upstream ${id}`), level: 'warn', source: expect.objectContaining({ namespace: 'shop', pod: 'web-1', container: 'nginx', labels: { app: 'web' } }) }),
    ]);
  });

  it('pino-loki (JSON) delivers lines with their fields', async () => {
    const id = marker();
    const stream = pinoLoki({ host: server.url, basicAuth: { username: 'x', password: TOKEN }, labels: { namespace: 'shop', pod: 'worker-2' }, batching: { interval: 0.05 }, timeout: 5000 });
    const logger = pino({ level: 'info' }, stream);
    logger.error({ job: 'invoice' }, `job failed ${id}`);
    await new Promise<void>((resolve) => {
      stream.on('close', () => resolve());
      stream.end();
    });
    const hits = await found(server, id);
    expect(hits).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ job: 'invoice', msg: `job failed ${id}` }), source: expect.objectContaining({ namespace: 'shop', pod: 'worker-2' }) })]);
  });

  it('stores a byte-identical resend once, and a different request with the same lines as sent', async () => {
    const id = marker();
    const ns = `${Date.now()}000000`;
    const body = lokiJson([{ stream: { namespace: 'shop', pod: 'resend' }, values: [[ns, `first ${id}`], [ns, `second ${id}`]] }]);
    const post = (text: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-scope-orgid': 'tenant-a', ...headers }, body: text });
    expect((await post(body)).status).toBe(204);
    expect((await post(body)).status).toBe(204);
    expect(await found(server, id)).toHaveLength(2);
    const metrics = await (await fetch(`${server.url}/api/metrics`)).text();
    expect(metrics).toMatch(/^logpond_ingest_protocol_requests_total\{protocol="loki",outcome="resent"\} 1$/m);
    expect(metrics).toMatch(/^logpond_ingest_protocol_entries_total\{protocol="otlp"\} [1-9]/m);
    const { collectors } = await (await fetch(`${server.url}/api/status`)).json();
    expect(collectors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'otlp:OTel-OTLP-Exporter-JavaScript/0.223.1', via: 'otlp' }),
        expect.objectContaining({ id: 'loki:node', via: 'loki' }),
      ]),
    );
    // Same lines, another request (a space more): stored as sent.
    expect((await post(body + ' ')).status).toBe(204);
    expect(await found(server, id)).toHaveLength(4);
  });

  it('stores concurrent requests for one stream, each whole, none taken for a duplicate of another', async () => {
    const id = marker();
    const bodies = Array.from({ length: 20 }, (_, i) =>
      lokiJson([{ stream: { namespace: 'shop', pod: 'busy' }, values: Array.from({ length: 50 + i * 20 }, (_, j) => [`${Date.now()}000000`, `burst ${i}.${j} ${id}`]) }]),
    );
    const answers = await Promise.all(
      bodies.map((body) => fetch(`${server.url}/loki/api/v1/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body })),
    );
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 204));
    const histogram = await fetch(`${server.url}/api/histogram?${new URLSearchParams({ q: id, from: 'now-1h' })}`).then((r) => r.json());
    expect(histogram.total).toBe(20 * 50 + 20 * 19 * 10);
  });

  it.each([
    ['/v1/logs', { 'content-type': 'text/plain' }, 'x', 415, /application\/x-protobuf or application\/json, not "text\/plain"/],
    ['/v1/logs', { 'content-type': 'application/json' }, '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"32503680000000000000"}]}]}]}', 400, /lies after 2262/],
    ['/loki/api/v1/push', { 'content-type': 'application/x-protobuf' }, 'not snappy at all', 400, /not valid snappy/],
    ['/loki/api/v1/push', { 'content-type': 'application/json' }, lokiJson([{ stream: { pod: 'a' }, values: [['1', 'x'.repeat(300 * 1024)]] }]), 400, /over the server's LOGPOND_MAX_LINE/],
    ['/loki/api/v1/push', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('x'.repeat(2 * 1024 * 1024)), 413, /larger than 1048576 bytes/],
  ])('POST %s %o is refused %i, naming the problem, and stores nothing', async (path, headers, body, status, message) => {
    const before = (await (await fetch(`${server.url}/api/status`)).json()).entries;
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, ...headers }, body });
    expect(response.status).toBe(status);
    const text = await response.text();
    expect(text).toMatch(message);
    expect((await (await fetch(`${server.url}/api/status`)).json()).entries).toBe(before);
  });

  it('answers GET /ready for Vector\'s health check', async () => {
    const response = await fetch(`${server.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ready\n');
  });
});

describe('a shipper and a crash (DuckDB)', () => {
  let server: ServerProcess | undefined;
  let cleanup: () => Promise<void>;
  afterEach(async () => {
    await server?.kill();
    server = undefined;
    await cleanup?.();
  });

  it('keeps every acknowledged request across kill -9, stored once, and numbers new ones after it', async () => {
    let dir: string;
    ({ dir, cleanup } = await tempDir());
    const env = { LOGPOND_DATA_DIR: dir, LOGPOND_DEMO: '0' };
    server = await startServer(env);
    const id = marker();
    const push = (s: ServerProcess, i: number) =>
      fetch(`${s.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: lokiJson([{ stream: { namespace: 'shop', pod: 'crash' }, values: Array.from({ length: 50 }, (_, j) => [`${Date.now()}000000`, `line ${i}.${j} ${id}`]) }]),
      });
    for (let i = 0; i < 4; i++) expect((await push(server, i)).status).toBe(204);
    await server.kill();
    server = await startServer(env);
    for (let i = 4; i < 6; i++) expect((await push(server, i)).status).toBe(204);
    const { hits } = await search(server, id);
    expect(hits).toHaveLength(100);
    const all = await fetch(`${server.url}/api/histogram?${new URLSearchParams({ q: id, from: 'now-1h' })}`).then((r) => r.json());
    expect(all.total).toBe(300);
  });
});
