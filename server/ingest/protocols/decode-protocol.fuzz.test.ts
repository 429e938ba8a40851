// Whatever bytes a shipper (or anyone) sends, decoding answers a batch or a 4xx naming the
// problem: never an internal error, which the route would answer with 500.
import fc from 'fast-check';
import { gunzipSync } from 'node:zlib';
import { compressSync, uncompressSync } from 'snappy';
import { describe, expect, it } from 'vitest';
import { isLogpondError } from '../../errors';
import { decodeProtocol, type ProtocolFormat } from './decode-protocol';
import { otlpRequest, lokiRequest } from '../../../bench/protocol-bodies';
import type { IngestBatch } from '../../../common/ingest-batch';

const NOW = Date.now();
const batch: IngestBatch = {
  collector: { id: 'c', node: 'n' },
  sources: [{ key: 'k', node: 'node-a', namespace: 'shop', pod: 'web-1', podUid: 'u', container: 'nginx', containerId: 'c1', labels: { app: 'web' }, annotations: {} }],
  entries: Array.from({ length: 5 }, (_, i) => ({ source: 0, file: 'f', offset: i, ts: new Date(NOW - i * 1000).toISOString(), stream: i % 2 ? 'stderr' : 'stdout', message: `{"level":"info","msg":"line ${i}","n":${i}}` })),
};

const otlpProto = Buffer.from(otlpRequest(batch));
const lokiProto = Buffer.from(lokiRequest(batch));
const otlpJson = Buffer.from(
  JSON.stringify({
    resourceLogs: [{ resource: { attributes: [{ key: 'k8s.pod.name', value: { stringValue: 'web-1' } }] }, scopeLogs: [{ logRecords: [{ timeUnixNano: `${NOW}000000`, body: { kvlistValue: { values: [{ key: 'a', value: { arrayValue: { values: [{ intValue: '1' }] } } }] } } }] }] }],
  }),
);
const lokiJson = Buffer.from(JSON.stringify({ streams: [{ stream: { pod: 'web-1' }, values: [[`${NOW}000000`, 'hello', { trace_id: 'abc' }]] }] }));

function decode(format: ProtocolFormat, bytes: Uint8Array, encoding = 'identity') {
  return decodeProtocol({ format, bytes, encoding, limitBytes: 1024 * 1024, maxLineBytes: 64 * 1024, receivedAtMs: NOW, sender: 'fuzz' });
}

function refusedPolitely(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (err) {
    return isLogpondError(err) && err.status >= 400 && err.status < 500;
  }
}

/** A body with some bytes changed, cut, or inserted. */
const mutated = (valid: Buffer) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
      fc.option(fc.nat(valid.length), { nil: undefined }),
      fc.uint8Array({ maxLength: 16 }),
    )
    .map(([changes, cut, inserted]) => {
      const bytes = Buffer.from(valid);
      for (const [at, value] of changes) bytes[at] = value;
      const kept = cut === undefined ? bytes : bytes.subarray(0, cut);
      const at = Math.floor(kept.length / 2);
      return Buffer.concat([kept.subarray(0, at), inserted, kept.subarray(at)]);
    });

describe('decoding hostile bodies', () => {
  it('valid bodies decode', () => {
    expect(decode('otlp-proto', otlpProto, 'gzip').entries.length).toBe(5);
    expect(decode('loki-proto', lokiProto).entries.length).toBe(5);
    expect(decode('otlp-json', otlpJson).entries.length).toBe(1);
    expect(decode('loki-json', lokiJson).entries.length).toBe(1);
  });

  const otlpPlain = gunzipSync(otlpProto);
  const lokiPlain = Buffer.from(uncompressSync(lokiProto) as Buffer);

  it.each([
    ['OTLP protobuf', 'otlp-proto', otlpPlain, (b: Buffer) => b],
    ['Loki protobuf inside valid snappy', 'loki-proto', lokiPlain, (b: Buffer) => compressSync(b)],
    ['Loki snappy itself', 'loki-proto', lokiProto, (b: Buffer) => b],
    ['OTLP JSON', 'otlp-json', otlpJson, (b: Buffer) => b],
    ['Loki JSON', 'loki-json', lokiJson, (b: Buffer) => b],
  ] as const)('%s, mutated: a batch or a 4xx, never an internal error', (_, format, valid, wrap) => {
    fc.assert(
      fc.property(mutated(valid), (bytes) => refusedPolitely(() => decode(format, wrap(bytes)))),
      { numRuns: 400 },
    );
  });

  it('random bytes in every format and encoding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom<ProtocolFormat>('otlp-proto', 'otlp-json', 'loki-proto', 'loki-json'), fc.constantFrom('identity', 'gzip', 'deflate'), (bytes, format, encoding) =>
        refusedPolitely(() => decode(format, bytes, encoding)),
      ),
      { numRuns: 500 },
    );
  });
});
