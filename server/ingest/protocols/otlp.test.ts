// The OTLP decoders against request bytes made by the OpenTelemetry JS SDK's own serializers
// (the ones its OTLP exporters send), and against the bad input a shipper or an attacker can send.
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { describe, expect, it } from 'vitest';
import type { ProtocolFormat } from './decode-protocol';
import { bytesField, varint } from '../../../bench/protocol-bodies';
import { decodeBody, decodedRows } from './decoded-rows';

const RECEIVED_MS = Date.UTC(2026, 11, 6, 12, 0, 0);

async function sdkRecords() {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': 'checkout-7d9f-abcde',
      'k8s.pod.uid': '0b6c7d1e-1111-2222-3333-444455556666',
      'k8s.container.name': 'api',
      'k8s.node.name': 'node-a',
      'k8s.pod.label.app': 'checkout',
      'k8s.deployment.name': 'checkout',
      'service.name': 'checkout-svc',
    }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('orders', '1.2.0');
  logger.emit({
    timestamp: new Date(RECEIVED_MS - 1000),
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: 'payment slow for order 42',
    attributes: { 'http.method': 'POST', attempt: 3, retry: true, 'log.iostream': 'stderr' },
    context: undefined,
  });
  logger.emit({
    timestamp: new Date(RECEIVED_MS - 500),
    severityNumber: SeverityNumber.ERROR,
    body: { msg: 'card declined', code: 402, customer: { tier: 'gold' } },
    attributes: { 'user.id': 'u-17' },
  });
  // No severity: the level comes from the message, as for a collector's line.
  logger.emit({ timestamp: new Date(RECEIVED_MS - 100), body: 'DEBUG cache warm' });
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

function decode(format: ProtocolFormat, bytes: Uint8Array, options: { encoding?: string; maxLineBytes?: number } = {}) {
  return decodeBody(format, bytes, { ...options, receivedAtMs: RECEIVED_MS });
}

describe.each([
  ['otlp-proto', (records: Parameters<typeof ProtobufLogsSerializer.serializeRequest>[0]) => ProtobufLogsSerializer.serializeRequest(records)!],
  ['otlp-json', (records: Parameters<typeof JsonLogsSerializer.serializeRequest>[0]) => JsonLogsSerializer.serializeRequest(records)!],
] as const)('%s from the OpenTelemetry JS SDK', (format, serialize) => {
  it('maps the resource onto the source: Kubernetes fields, pod labels, other attributes as labels', async () => {
    const batch = decode(format, serialize(await sdkRecords()));
    expect(batch.sources).toEqual([
      {
        key: expect.stringMatching(/^otlp:/),
        node: 'node-a',
        namespace: 'shop',
        pod: 'checkout-7d9f-abcde',
        podUid: '0b6c7d1e-1111-2222-3333-444455556666',
        container: 'api',
        containerId: '',
        labels: { app: 'checkout', 'k8s.deployment.name': 'checkout', 'service.name': 'checkout-svc' },
        annotations: {},
      },
    ]);
  });

  it('keeps each record: time to the microsecond, severity as level, body and attributes as fields', async () => {
    const rows = decodedRows(decode(format, serialize(await sdkRecords())));
    expect(rows).toEqual([
      {
        ts: (RECEIVED_MS - 1000) * 1000,
        level: 'warn',
        stream: 'stderr',
        message: 'payment slow for order 42',
        fields: { 'http.method': 'POST', attempt: 3, retry: true },
      },
      {
        ts: (RECEIVED_MS - 500) * 1000,
        level: 'error',
        stream: 'stdout',
        message: '{"msg":"card declined","code":402,"customer":{"tier":"gold"}}',
        fields: { msg: 'card declined', code: 402, 'customer.tier': 'gold', 'user.id': 'u-17' },
      },
      { ts: (RECEIVED_MS - 100) * 1000, level: 'debug', stream: 'stdout', message: 'DEBUG cache warm', fields: null },
    ]);
  });

  it('reads a gzip body as the exporters send it with compression on', async () => {
    const bytes = serialize(await sdkRecords());
    expect(decodedRows(decode(format, gzipSync(bytes), { encoding: 'gzip' }))).toEqual(decodedRows(decode(format, bytes)));
  });

  it('reads a deflate body (the Collector\'s `compression: deflate`), zlib-wrapped or raw', async () => {
    const bytes = serialize(await sdkRecords());
    expect(decodedRows(decode(format, deflateSync(bytes), { encoding: 'deflate' }))).toEqual(decodedRows(decode(format, bytes)));
    expect(decodedRows(decode(format, deflateRawSync(bytes), { encoding: 'deflate' }))).toEqual(decodedRows(decode(format, bytes)));
  });
});

describe('OTLP details the SDK does not exercise', () => {
  it('keeps trace and span ids as hex fields, and a nanosecond time to the microsecond (floored)', () => {
    const body = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'batch' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1796558400123456789',
                  severityText: 'Information',
                  body: { stringValue: 'job done' },
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                },
                // No time at all: stored at receipt; only the observed time: that one.
                { body: { stringValue: 'no time' } },
                { observedTimeUnixNano: '1796558400000999999', body: { intValue: '7' } },
              ],
            },
          ],
        },
      ],
    };
    const batch = decode('otlp-json', Buffer.from(JSON.stringify(body)));
    expect(batch.sources[0]).toMatchObject({ namespace: '', pod: '', labels: { 'service.name': 'batch' } });
    expect(decodedRows(batch)).toEqual([
      { ts: 1796558400123456, level: 'info', stream: 'stdout', message: 'job done', fields: { trace_id: '5b8efff798038103d269b633813fc60c', span_id: 'eee19b7ec3c1b174' } },
      { ts: RECEIVED_MS * 1000, level: 'unknown', stream: 'stdout', message: 'no time', fields: null },
      { ts: 1796558400000999, level: 'unknown', stream: 'stdout', message: '7', fields: null },
    ]);
  });

  it('stores a record stamped before 2000 at receipt, keeping its time in logpond.ts_original', () => {
    const body = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1000000000', body: { stringValue: 'old clock' } }] }] }] };
    expect(decodedRows(decode('otlp-json', Buffer.from(JSON.stringify(body))))[0]).toMatchObject({ ts: RECEIVED_MS * 1000, fields: { 'logpond.ts_original': '1000000000' } });
  });
});

describe('bad OTLP requests are refused whole, naming the problem', () => {
  const json = (records: unknown[], resources = 1) =>
    Buffer.from(JSON.stringify({ resourceLogs: Array.from({ length: resources }, (_, i) => ({ resource: { attributes: [{ key: 'k8s.pod.name', value: { stringValue: `p${i}` } }] }, scopeLogs: [{ logRecords: records }] })) }));

  it.each([
    ['a timestamp in the year 3000', json([{ timeUnixNano: '32503680000000000000', body: { stringValue: 'x' } }]), /resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.timeUnixNano: 32503680000000000000 lies after 2262/],
    ['a timestamp before 1970', json([{ timeUnixNano: '-5', body: { stringValue: 'x' } }]), /timeUnixNano: -5 lies before 1970/],
    ['a severity given by name', json([{ severityNumber: 'SEVERITY_NUMBER_INFO' }]), /severityNumber: expected an integer/],
    ['a short trace id', json([{ traceId: 'abc' }]), /traceId: expected 32 hex digits/],
    ['a body that is not JSON', Buffer.from('{"resourceLogs": ['), /not valid JSON/],
    ['a body that is not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), /not valid UTF-8/],
    ['50,000 resources', json([{ body: { stringValue: 'x' } }], 50_000), /at most 10000 distinct sources/],
  ])('%s', (_, bytes, message) => {
    expect(() => decode('otlp-json', bytes)).toThrow(message);
  });

  it('a 10 MB line, past LOGPOND_MAX_LINE', () => {
    const bytes = json([{ body: { stringValue: 'x'.repeat(10 * 1024 * 1024) } }]);
    expect(() => decode('otlp-json', bytes)).toThrow(/logRecords\[0\]: the record is 10485760 bytes, over the server's LOGPOND_MAX_LINE of 262144/);
  });

  it('truncated protobuf, at any cut', async () => {
    const bytes = ProtobufLogsSerializer.serializeRequest(await sdkRecords())!;
    for (const cut of [1, 7, 40, bytes.length - 1]) {
      expect(() => decode('otlp-proto', bytes.subarray(0, cut)), `cut at ${cut}`).toThrow(/protobuf body is not valid|cut short|runs past/);
    }
  });

  it('a protobuf string that is not UTF-8', () => {
    // ExportLogsServiceRequest { resource_logs { scope_logs { log_records { severity_text: "\xff" } } } }
    const record = Buffer.from([0x1a, 0x01, 0xff]);
    const scope = Buffer.concat([Buffer.from([0x12, record.length]), record]);
    const resource = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
    const request = Buffer.concat([Buffer.from([0x0a, resource.length]), resource]);
    expect(() => decode('otlp-proto', request)).toThrow(/severityText is not valid UTF-8/);
  });

  it('gzip that is not gzip', () => {
    expect(() => decode('otlp-proto', Buffer.from('plain'), { encoding: 'gzip' })).toThrow(/not valid gzip/);
  });

  it('deflate that is not deflate', () => {
    expect(() => decode('otlp-proto', Buffer.from('plain'), { encoding: 'deflate' })).toThrow(/not valid deflate/);
  });

  it('an encoding it does not read, naming those it does', () => {
    expect(() => decode('otlp-proto', Buffer.from('plain'), { encoding: 'zstd' })).toThrow(/unsupported Content-Encoding "zstd" \(use gzip, deflate or none\)/);
  });
});

describe('OTLP edge cases found in review', () => {
  const text = (s: string) => Buffer.from(s);
  // ExportLogsServiceRequest { resource_logs { resource, scope_logs { log_records } } }
  const request = (resource: Buffer, records: Buffer[]) => bytesField(1, Buffer.concat([bytesField(1, resource), bytesField(2, Buffer.concat(records.map((r) => bytesField(2, r))))]));
  const attribute = (key: string, value: Buffer) => bytesField(1, Buffer.concat([bytesField(1, text(key)), bytesField(2, value)]));

  it('reads a negative severity number (a ten-byte varint) as unset, and a 64-bit integer attribute exactly', () => {
    const record = Buffer.concat([
      Buffer.from([0x10]),
      varint(-1n),
      bytesField(5, bytesField(1, text('ERROR disk full'))),
      bytesField(6, Buffer.concat([bytesField(1, text('big')), bytesField(2, Buffer.concat([Buffer.from([0x18]), varint(9007199254740993n)]))])),
      bytesField(6, Buffer.concat([bytesField(1, text('small')), bytesField(2, Buffer.concat([Buffer.from([0x18]), varint(-42n)]))])),
    ]);
    const rows = decodedRows(decode('otlp-proto', request(Buffer.alloc(0), [record])));
    expect(rows).toEqual([{ ts: RECEIVED_MS * 1000, level: 'error', stream: 'stdout', message: 'ERROR disk full', fields: { big: '9007199254740993', small: -42 } }]);
  });

  it('keeps a resource attribute or pod label named __proto__ as a label', () => {
    const resource = Buffer.concat([attribute('__proto__', bytesField(1, text('x'))), attribute('k8s.pod.label.__proto__', bytesField(1, text('y')))]);
    const batch = decode('otlp-proto', request(resource, [bytesField(5, bytesField(1, text('hi')))]));
    // Both name the label __proto__: the pod label, read later, wins.
    expect(Object.entries(batch.sources[0].labels)).toEqual([['__proto__', 'y']]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('makes no source of a resource without records, and refuses one with too many attributes', () => {
    const empty = decode('otlp-proto', request(attribute('k8s.pod.name', bytesField(1, text('idle'))), []));
    expect(empty.sources).toEqual([]);
    const crowded = Buffer.concat(Array.from({ length: 300 }, (_, i) => attribute(`a${i}`, bytesField(1, text('v')))));
    expect(() => decode('otlp-proto', request(crowded, [bytesField(5, bytesField(1, text('hi')))]))).toThrow(/resourceLogs\[0\]\.resource: 300 attributes or labels; a source may have at most 256/);
  });
});
