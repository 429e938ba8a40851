// The Loki push decoders against the bytes maintained Loki client libraries send (winston-loki:
// protobuf + snappy; pino-loki: JSON), captured on a loopback server, and against bad input.
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { pinoLoki } from 'pino-loki';
import { compressSync } from 'snappy';
import winston from 'winston';
import LokiTransport from 'winston-loki';
import { afterEach, describe, expect, it } from 'vitest';
import { captureServer } from './capture-server';
import type { ProtocolFormat } from './decode-protocol';
import { varint } from '../../../bench/protocol-bodies';
import { decodeBody, decodedRows } from './decoded-rows';

const RECEIVED_MS = Date.now();
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

function decode(format: ProtocolFormat, bytes: Uint8Array, options: { encoding?: string; maxLineBytes?: number } = {}) {
  return decodeBody(format, bytes, { ...options, receivedAtMs: RECEIVED_MS });
}

async function winstonBody(json: boolean) {
  const server = await captureServer();
  closeServer = server.close;
  const transport = new LokiTransport({
    host: server.url,
    basicAuth: 'logpond:token',
    json,
    labels: { namespace: 'shop', pod: 'checkout-1', container: 'api', node: 'node-a', app: 'checkout' },
    interval: 1,
    gracefulShutdown: false,
    timeout: 5000,
  });
  const logger = winston.createLogger({ transports: [transport] });
  logger.info('order 42 placed');
  logger.error('card declined for order 43');
  await transport.close?.();
  expect(server.captured).toHaveLength(1);
  return server.captured[0];
}

describe('winston-loki', () => {
  it('sends protobuf + snappy, whose streams become sources and lines entries with their level', async () => {
    const request = await winstonBody(false);
    expect(request.headers['content-type']).toBe('application/x-protobuf');
    const batch = decode('loki-proto', request.body);
    expect(batch.sources).toEqual([
      { key: expect.stringMatching(/^loki:/), node: 'node-a', namespace: 'shop', pod: 'checkout-1', podUid: '', container: 'api', containerId: '', labels: { app: 'checkout' }, annotations: {} },
    ]);
    const rows = decodedRows(batch);
    expect(rows.map((r) => [r.level, r.message.split(' {')[0]])).toEqual([
      ['info', 'order 42 placed'],
      ['error', 'card declined for order 43'],
    ]);
    for (const row of rows) expect(Math.abs(row.ts / 1000 - RECEIVED_MS)).toBeLessThan(60_000);
  });

  it('sends JSON with structured metadata, which become fields', async () => {
    const request = await winstonBody(true);
    expect(request.headers['content-type']).toBe('application/json');
    const rows = decodedRows(decode('loki-json', request.body));
    expect(rows.map((r) => [r.level, r.fields?.level])).toEqual([
      ['info', 'info'],
      ['error', 'error'],
    ]);
  });
});

describe('pino-loki', () => {
  it('sends JSON: one stream per line, pino lines keep their fields and level', async () => {
    const server = await captureServer();
    closeServer = server.close;
    const stream = pinoLoki({
      host: server.url,
      basicAuth: { username: 'logpond', password: 'token' },
      labels: { namespace: 'shop', pod: 'checkout-1', container: 'api' },
      batching: { interval: 0.05 },
      timeout: 5000,
    });
    const logger = pino({ level: 'info' }, stream);
    logger.info({ orderId: 42 }, 'order placed');
    logger.error({ code: 402 }, 'card declined');
    await new Promise<void>((resolve) => {
      stream.on('close', () => resolve());
      stream.end();
    });
    const bodies = server.captured.map((c) => decode('loki-json', c.body));
    const rows = bodies.flatMap((b) => decodedRows(b));
    expect(rows.map((r) => [r.level, r.fields?.msg, r.fields?.orderId ?? r.fields?.code])).toEqual([
      ['info', 'order placed', 42],
      ['error', 'card declined', 402],
    ]);
    // pino-loki adds a hostname label: the node.
    expect(bodies[0].sources[0]).toMatchObject({ namespace: 'shop', pod: 'checkout-1', container: 'api', node: expect.any(String) });
  });
});

/** PushRequest bytes, written by hand: one stream, entries of (seconds, nanos, line). */
function pushRequest(labels: string, entries: [number, number, string | Buffer][]): Buffer {
  const field = (tag: number, bytes: Buffer) => Buffer.concat([Buffer.from([tag]), varint(bytes.length), bytes]);
  const entry = ([seconds, nanos, line]: [number, number, string | Buffer]) =>
    field(0x12, Buffer.concat([field(0x0a, Buffer.concat([Buffer.from([0x08]), varint(seconds), Buffer.from([0x10]), varint(nanos)])), field(0x12, Buffer.from(line))]));
  return field(0x0a, Buffer.concat([field(0x0a, Buffer.from(labels)), ...entries.map(entry)]));
}

describe('Loki push details', () => {
  it('keeps a nanosecond timestamp to the microsecond, and reads the stream label as stdout/stderr', () => {
    const body = compressSync(pushRequest('{namespace="shop", pod="web-1", stream="stderr", job="shop/web"}', [[1796558400, 123456789, 'panic: nil map']]));
    const batch = decode('loki-proto', body);
    expect(decodedRows(batch)).toEqual([{ ts: 1796558400123456, level: 'fatal', stream: 'stderr', message: 'panic: nil map', fields: null }]);
    expect(batch.sources[0]).toMatchObject({ namespace: 'shop', pod: 'web-1', labels: { job: 'shop/web' } });
  });

  it('reads Fluent Bit and OpenTelemetry label names onto the Kubernetes fields', () => {
    const body = { streams: [{ stream: { namespace_name: 'shop', pod_name: 'web-1', container_name: 'nginx', host: 'node-b' }, values: [[`${RECEIVED_MS}000000`, 'GET /']] }] };
    expect(decode('loki-json', Buffer.from(JSON.stringify(body))).sources[0]).toMatchObject({ namespace: 'shop', pod: 'web-1', container: 'nginx', node: 'node-b', labels: {} });
  });

  it('reads gzip around JSON, and around snappy-compressed protobuf', () => {
    const json = Buffer.from(JSON.stringify({ streams: [{ stream: { pod: 'a' }, values: [[`${RECEIVED_MS}000000`, 'hello']] }] }));
    expect(decodedRows(decode('loki-json', gzipSync(json), { encoding: 'gzip' }))[0].message).toBe('hello');
    const proto = compressSync(pushRequest('{pod="a"}', [[Math.floor(RECEIVED_MS / 1000), 0, 'hello']]));
    expect(decodedRows(decode('loki-proto', gzipSync(proto), { encoding: 'gzip' }))[0].message).toBe('hello');
    expect(decodedRows(decode('loki-proto', proto, { encoding: 'snappy' }))[0].message).toBe('hello');
  });
});

describe('bad Loki requests are refused whole, naming the problem', () => {
  const now = Math.floor(RECEIVED_MS / 1000);
  it.each([
    ['truncated protobuf', compressSync(pushRequest('{pod="a"}', [[now, 0, 'x']])).subarray(0, 12), /snappy|protobuf/],
    ['protobuf that is not snappy', pushRequest('{pod="a"}', [[now, 0, 'x']]), /not valid snappy/],
    ['a year-3000 timestamp', compressSync(pushRequest('{pod="a"}', [[32503680000, 0, 'x']])), /streams\[0\]\.entries\[0\]\.timestamp: 32503680000 s lies after 2262/],
    ['a timestamp before 1970', compressSync(pushRequest('{pod="a"}', [[-60, 0, 'x']])), /streams\[0\]\.entries\[0\]\.timestamp: -60 s 0 ns lies before 1970/],
    ['a line that is not UTF-8', compressSync(pushRequest('{pod="a"}', [[now, 0, Buffer.from([0x61, 0xc3, 0x28])]])), /streams\[0\]\.entries\[0\]\.line is not valid UTF-8/],
    ['labels that are not a label set', compressSync(pushRequest('{pod=a}', [[now, 0, 'x']])), /streams\[0\]\.labels: the labels "\{pod=a\}" are not a label set, at character 5/],
  ])('%s', (_, bytes, message) => {
    expect(() => decode('loki-proto', bytes)).toThrow(message);
  });

  const json = (streams: unknown[]) => Buffer.from(JSON.stringify({ streams }));
  it.each([
    ['a timestamp in the year 3000', json([{ stream: { pod: 'a' }, values: [['32503680000000000000', 'x']] }]), /streams\[0\]\.values\[0\]\[0\]: 32503680000000000000 lies after 2262/],
    ['a timestamp before 1970', json([{ stream: { pod: 'a' }, values: [['-1000', 'x']] }]), /streams\[0\]\.values\[0\]\[0\]: -1000 lies before 1970/],
    ['a timestamp as a number', json([{ stream: { pod: 'a' }, values: [[1, 'x']] }]), /values\[0\]\[0\]: expected nanoseconds/],
    ['50,000 streams', json(Array.from({ length: 50_000 }, (_, i) => ({ stream: { pod: `p${i}` }, values: [[`${RECEIVED_MS}000000`, 'x']] }))), /at most 10000 distinct sources/],
    ['a body that is not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), /not valid UTF-8/],
  ])('JSON: %s', (_, bytes, message) => {
    expect(() => decode('loki-json', bytes)).toThrow(message);
  });

  it('a 10 MB line, past LOGPOND_MAX_LINE', () => {
    const bytes = compressSync(pushRequest('{pod="a"}', [[now, 0, 'y'.repeat(10 * 1024 * 1024)]]));
    expect(() => decode('loki-proto', bytes)).toThrow(/streams\[0\]\.entries\[0\]: the line is 10485760 bytes, over the server's LOGPOND_MAX_LINE of 262144/);
  });
});
