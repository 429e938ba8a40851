// Loki's push request, protobuf (logproto.PushRequest, after snappy) or JSON, → records for the
// entry builder. Schema: grafana/loki pkg/push/push.proto:
//   PushRequest { repeated StreamAdapter streams = 1; }
//   StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; uint64 hash = 3; }
//   EntryAdapter { Timestamp timestamp = 1; string line = 2; repeated LabelPairAdapter structuredMetadata = 3; }
//   LabelPairAdapter { string name = 1; string value = 2; }
import { BadRequestError } from '../../errors';
import { newFields, type Fields } from '../extract-fields';
import type { EntryBuilder } from './entry-builder';
import { MAX_TS_MICROS } from './entry-builder';
import { levelOfLabels, type LokiStream, streamOf, streamOfText } from './loki-streams';
import { type ProtobufReader, WIRE_BYTES, WIRE_VARINT } from './protobuf-reader';

const tagOf = (field: number, wire: number) => field * 8 + wire;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readLokiProto(reader: ProtobufReader, builder: EntryBuilder): void {
  let index = 0;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) readStream(reader.message(), builder, `streams[${index++}]`);
    else reader.skip(tag & 7);
  }
}

function readStream(reader: ProtobufReader, builder: EntryBuilder, where: string): void {
  let labels: string | null = null;
  const entries: number[] = [];
  // Labels come first as Loki's clients write them, but the wire allows any order: entries are
  // read, in place, once the labels are known.
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) labels = reader.string(`${where}.labels`);
    else if (tag === tagOf(2, WIRE_BYTES)) {
      entries.push(reader.pos);
      reader.skip(WIRE_BYTES);
    } else reader.skip(tag & 7);
  }
  if (labels === null) throw new BadRequestError(`${where}: a stream needs its labels`, 'invalid_labels');
  // A stream is a source once it has a line: one without any adds nothing.
  if (entries.length === 0) return;
  const stream = streamOfText(labels, builder, `${where}.labels`);
  const end = reader.pos;
  entries.forEach((at, i) => {
    reader.pos = at;
    const outer = reader.enter();
    readEntry(reader, builder, stream, () => `${where}.entries[${i}]`);
    reader.exit(outer);
  });
  reader.pos = end;
}

function readEntry(reader: ProtobufReader, builder: EntryBuilder, stream: LokiStream, where: () => string): void {
  let seconds = 0;
  let nanos = 0;
  let line = '';
  let metadata: Map<string, string> | null = null;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) {
      const outer = reader.enter();
      while (reader.more()) {
        const t = reader.tag();
        if (t === tagOf(1, WIRE_VARINT)) seconds = reader.int64();
        else if (t === tagOf(2, WIRE_VARINT)) nanos = reader.int64();
        else reader.skip(t & 7);
      }
      reader.exit(outer);
    } else if (tag === tagOf(2, WIRE_BYTES)) line = reader.string(`${where()}.line`);
    else if (tag === tagOf(3, WIRE_BYTES)) {
      const outer = reader.enter();
      let name = '';
      let value = '';
      while (reader.more()) {
        const t = reader.tag();
        if (t === tagOf(1, WIRE_BYTES)) name = reader.string(`${where()}.structuredMetadata name`);
        else if (t === tagOf(2, WIRE_BYTES)) value = reader.string(`${where()}.structuredMetadata value`);
        else reader.skip(t & 7);
      }
      reader.exit(outer);
      (metadata ??= new Map()).set(name, value);
    } else reader.skip(tag & 7);
  }
  if (seconds < 0 || nanos < 0 || nanos > 999_999_999) {
    throw new BadRequestError(`${where()}.timestamp: ${seconds} s ${nanos} ns lies before 1970 or is not a timestamp`, 'invalid_timestamp');
  }
  const tsMicros = seconds * 1_000_000 + Math.floor(nanos / 1000);
  if (tsMicros > MAX_TS_MICROS) throw new BadRequestError(`${where()}.timestamp: ${seconds} s lies after 2262-04-11`, 'invalid_timestamp');
  addLine(builder, stream, tsMicros, () => `${seconds}${String(nanos).padStart(9, '0')}`, line, metadata, where);
}

export function readLokiJson(body: unknown, builder: EntryBuilder): void {
  const streams = (isObject(body) ? body : fail('(body)', 'expected an object')).streams;
  if (!Array.isArray(streams)) fail('streams', 'expected an array');
  streams.forEach((raw, i) => {
    const where = `streams[${i}]`;
    if (!isObject(raw)) fail(where, 'expected an object');
    if (!isObject(raw.stream)) fail(`${where}.stream`, 'expected an object of labels');
    const labels = new Map<string, string>();
    for (const name of Object.keys(raw.stream)) {
      const value = raw.stream[name];
      if (!LABEL_NAME.test(name)) fail(`${where}.stream`, `${JSON.stringify(name.slice(0, 64))} is not a label name (letters, digits and _, not starting with a digit)`);
      if (typeof value !== 'string') fail(`${where}.stream.${name}`, 'expected a string');
      labels.set(name, value);
    }
    if (!Array.isArray(raw.values)) fail(`${where}.values`, 'expected an array of [timestamp, line] pairs');
    if (raw.values.length === 0) return;
    const stream = streamOf(labels, builder, `${where}.stream`);
    raw.values.forEach((value, j) => {
      const at = `${where}.values[${j}]`;
      if (!Array.isArray(value) || value.length < 2 || value.length > 3) fail(at, 'expected ["<nanoseconds>", "<line>"] or with a third element of structured metadata');
      const [ns, line, meta] = value as unknown[];
      if (typeof ns !== 'string') fail(`${at}[0]`, 'expected nanoseconds since 1970 as a decimal string');
      if (ns.startsWith('-')) fail(`${at}[0]`, `${ns.slice(0, 32)} lies before 1970`);
      if (!/^\d{1,30}$/.test(ns)) fail(`${at}[0]`, `expected nanoseconds since 1970 as a decimal string, got "${ns.slice(0, 32)}"`);
      const micros = ns.length <= 3 ? 0 : Number(ns.slice(0, -3));
      if (micros > MAX_TS_MICROS) throw new BadRequestError(`${at}[0]: ${ns} lies after 2262-04-11`, 'invalid_timestamp');
      if (typeof line !== 'string') fail(`${at}[1]`, 'expected the line as a string');
      let metadata: Map<string, string> | null = null;
      if (meta !== undefined && meta !== null) {
        if (!isObject(meta)) fail(`${at}[2]`, 'expected an object of structured metadata');
        metadata = new Map();
        for (const name of Object.keys(meta)) {
          if (typeof meta[name] !== 'string') fail(`${at}[2].${name}`, 'expected a string');
          metadata.set(name, meta[name]);
        }
      }
      addLine(builder, stream, micros, () => ns, line, metadata, () => at);
    });
  });
}

function addLine(
  builder: EntryBuilder,
  stream: LokiStream,
  tsMicros: number,
  tsText: () => string,
  line: string,
  metadata: Map<string, string> | null,
  where: () => string,
): void {
  let fields: Fields | null = null;
  if (metadata !== null) {
    fields = newFields();
    for (const [name, value] of metadata) if (name !== '') fields[name] = value;
  }
  builder.add(
    {
      source: stream.source,
      // Loki has no "unknown" time: 0 is 1970, outside the window, and stored at receipt.
      tsMicros,
      tsText,
      message: line,
      stderr: stream.stderr,
      level: stream.level ?? (metadata === null ? null : levelOfLabels(metadata)),
      fields,
    },
    where,
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(where: string, detail: string): never {
  throw new BadRequestError(`${where}: ${detail}`, 'invalid_loki_push');
}
