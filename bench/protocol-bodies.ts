// A collector-shaped batch re-encoded as the request a shipper would send for the same lines, for
// `bench:ingest --protocol`: OTLP/HTTP protobuf, gzip, as the Collector's filelog receiver and
// otlphttp exporter send it (one resource per container with its k8s attributes, the body a
// string, log.iostream and log.file.path attributes); Loki push protobuf + snappy as Alloy and
// Vector send it (one stream per container and output stream). The writer is the bench's own:
// encoding millions of records through an SDK up front would take longer than the run.
import { gzipSync } from 'node:zlib';
import { compressSync } from 'snappy';
import type { IngestBatch, SourceMeta, WireEntry } from '../common/ingest-batch';

type Part = Buffer;

/** A protobuf varint; a negative number as its 64-bit two's complement (ten bytes), as protobuf writes an int64. */
export function varint(n: number | bigint): Part {
  let v = BigInt.asUintN(64, BigInt(n));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

const field = (number: number, wire: number) => varint(number * 8 + wire);
/** A length-delimited field: field number `number`, then the payload's length and the payload. */
export const bytesField = (number: number, payload: Part): Part => Buffer.concat([field(number, 2), varint(payload.length), payload]);
const stringField = (number: number, text: string) => bytesField(number, Buffer.from(text, 'utf8'));
function fixed64Field(number: number, value: bigint): Part {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return Buffer.concat([field(number, 1), out]);
}

/** Nanoseconds of an RFC 3339 UTC timestamp with up to nine fraction digits. */
export function nanosOf(ts: string): bigint {
  const seconds = BigInt(Date.parse(`${ts.slice(0, 19)}Z`) / 1000);
  const fraction = /\.(\d+)/.exec(ts)?.[1] ?? '';
  return seconds * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
}

const keyValue = (key: string, value: string) => Buffer.concat([stringField(1, key), bytesField(2, stringField(1, value))]);

function sourceOf(batch: IngestBatch, entry: WireEntry): SourceMeta {
  return typeof entry.source === 'number' ? batch.sources[entry.source] : batch.sources.find((s) => s.key === entry.source)!;
}

function grouped<K>(batch: IngestBatch, keyOf: (entry: WireEntry) => K): Map<K, WireEntry[]> {
  const groups = new Map<K, WireEntry[]>();
  for (const entry of batch.entries) {
    const key = keyOf(entry);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(entry);
  }
  return groups;
}

export function otlpRequest(batch: IngestBatch): Buffer {
  const resources: Part[] = [];
  for (const entries of grouped(batch, (e) => sourceOf(batch, e)).values()) {
    const source = sourceOf(batch, entries[0]);
    const attributes = [
      keyValue('k8s.namespace.name', source.namespace),
      keyValue('k8s.pod.name', source.pod),
      keyValue('k8s.pod.uid', source.podUid),
      keyValue('k8s.container.name', source.container),
      keyValue('k8s.node.name', source.node),
      ...Object.entries(source.labels).map(([k, v]) => keyValue(`k8s.pod.label.${k}`, v)),
    ].map((kv) => bytesField(1, kv));
    const observed = BigInt(Date.now()) * 1_000_000n;
    const path = `/var/log/pods/${source.namespace}_${source.pod}_${source.podUid}/${source.container}/0.log`;
    const records = entries.map((e) =>
      bytesField(
        2,
        Buffer.concat([
          fixed64Field(1, nanosOf(e.ts)),
          fixed64Field(11, observed),
          bytesField(5, stringField(1, e.message)),
          bytesField(6, keyValue('log.iostream', e.stream)),
          bytesField(6, keyValue('log.file.path', path)),
        ]),
      ),
    );
    const scope = bytesField(2, Buffer.concat([bytesField(1, Buffer.alloc(0)), ...records]));
    resources.push(bytesField(1, Buffer.concat([bytesField(1, Buffer.concat(attributes)), scope])));
  }
  return gzipSync(Buffer.concat(resources), { level: 1 });
}

export function lokiRequest(batch: IngestBatch): Buffer {
  const streams: Part[] = [];
  for (const entries of grouped(batch, (e) => `${e.source}\0${e.stream}`).values()) {
    const source = sourceOf(batch, entries[0]);
    const labels = `{container="${source.container}", namespace="${source.namespace}", node="${source.node}", pod="${source.pod}", stream="${entries[0].stream}"}`;
    const lines = entries.map((e) => {
      const nanos = nanosOf(e.ts);
      const timestamp = Buffer.concat([field(1, 0), varint(nanos / 1_000_000_000n), field(2, 0), varint(nanos % 1_000_000_000n)]);
      return bytesField(2, Buffer.concat([bytesField(1, timestamp), stringField(2, e.message)]));
    });
    streams.push(bytesField(1, Buffer.concat([stringField(1, labels), ...lines])));
  }
  return compressSync(Buffer.concat(streams));
}
