// OTLP/HTTP logs in protobuf (ExportLogsServiceRequest) → records for the entry builder.
// Schema: opentelemetry/proto/collector/logs/v1/logs_service.proto and logs/v1/logs.proto.
// Fields are read by number; unknown ones are skipped, as protobuf wants. Records are read in
// place, one reader stepping into each nested message, and a record's path for an error message
// is written only when there is an error.
import { BadRequestError } from '../../errors';
import type { EntryBuilder } from './entry-builder';
import { MAX_TS_MICROS } from './entry-builder';
import { type AttributeValue, labelText, levelOfSeverity, messageText, newAttributes, OTLP_LABEL_PREFIXES, OTLP_SOURCE_FIELDS, recordFields, streamAttribute } from './otlp-attributes';
import { fixed64Micros, ProtobufError, ProtobufReader, WIRE_BYTES, WIRE_FIXED64, WIRE_VARINT } from './protobuf-reader';
import { type SourceFields, sourceFieldsOf, sourceKeyOf } from './source-meta';

const tagOf = (field: number, wire: number) => field * 8 + wire;

export function readOtlpProto(reader: ProtobufReader, builder: EntryBuilder): void {
  let resourceIndex = 0;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) {
      const outer = reader.enter();
      readResourceLogs(reader, builder, resourceIndex++);
      reader.exit(outer);
    } else reader.skip(tag & 7);
  }
}

/**
 * Sources by their resource's bytes: a shipper sends the same few resources in every request, and
 * reading, hashing and mapping their attributes was a tenth of decoding a request. Bounded; this
 * process's memory, per decoding thread.
 */
const knownResources = new Map<string, { key: string; fields: SourceFields }>();
const MAX_KNOWN_RESOURCES = 10_000;
/** Larger resources are read each time: the cache holds at most ~40 MB of keys. */
const MAX_KNOWN_RESOURCE_BYTES = 4096;

function readResourceLogs(reader: ProtobufReader, builder: EntryBuilder, resourceIndex: number): void {
  const where = `resourceLogs[${resourceIndex}]`;
  let resourceBytes = '';
  const scopes: number[] = [];
  // The resource may follow its scopes on the wire; the scopes are read once it is known.
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) {
      const start = reader.span();
      resourceBytes = reader.buf.toString('latin1', start, reader.pos);
    } else if (tag === tagOf(2, WIRE_BYTES)) {
      scopes.push(reader.pos);
      reader.skip(WIRE_BYTES);
    } else reader.skip(tag & 7);
  }
  let known = knownResources.get(resourceBytes);
  if (known === undefined) {
    const attributes = readResource(new ProtobufReader(Buffer.from(resourceBytes, 'latin1')), `${where}.resource`);
    const pairs = new Map<string, string>();
    for (const key of Object.keys(attributes)) pairs.set(key, labelText(attributes[key]));
    known = { key: sourceKeyOf('otlp', pairs), fields: sourceFieldsOf(pairs, OTLP_SOURCE_FIELDS, OTLP_LABEL_PREFIXES, `${where}.resource`) };
    if (resourceBytes.length <= MAX_KNOWN_RESOURCE_BYTES) {
      if (knownResources.size >= MAX_KNOWN_RESOURCES) knownResources.clear();
      knownResources.set(resourceBytes, known);
    }
  }
  const { key, fields } = known;
  // A resource is a source once it has a record: one without any adds nothing.
  let sourceIndex = -1;
  const source = () => (sourceIndex >= 0 ? sourceIndex : (sourceIndex = builder.sourceOf(key, () => fields, `${where}.resource`)));
  const end = reader.pos;
  scopes.forEach((at, scopeIndex) => {
    reader.pos = at;
    const outer = reader.enter();
    let recordIndex = 0;
    while (reader.more()) {
      const tag = reader.tag();
      if (tag === tagOf(2, WIRE_BYTES)) {
        const scopeEnd = reader.enter();
        readLogRecord(reader, builder, source, () => `${where}.scopeLogs[${scopeIndex}].logRecords[${recordIndex}]`);
        reader.exit(scopeEnd);
        recordIndex++;
      } else reader.skip(tag & 7);
    }
    reader.exit(outer);
  });
  reader.pos = end;
}

function readResource(reader: ProtobufReader, where: string): Record<string, AttributeValue> {
  const attributes = newAttributes();
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) {
      const outer = reader.enter();
      readKeyValue(reader, attributes, () => `${where}.attributes`, 0);
      reader.exit(outer);
    } else reader.skip(tag & 7);
  }
  return attributes;
}

function readLogRecord(reader: ProtobufReader, builder: EntryBuilder, source: () => number, where: () => string): void {
  let time = 0;
  let observed = 0;
  let timeLo = 0;
  let timeHi = 0;
  let severityNumber = 0;
  let severityText = '';
  let body: AttributeValue | undefined;
  let attributes: Record<string, AttributeValue> | null = null;
  let traceId = '';
  let spanId = '';
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag) {
      case tagOf(1, WIRE_FIXED64):
      case tagOf(11, WIRE_FIXED64): {
        const half = reader.fixed64();
        if (half.hi >= 2 ** 31) throw new BadRequestError(`${where()}: the timestamp lies after 2262-04-11, past what nanoseconds in an int64 hold`, 'invalid_timestamp');
        const micros = fixed64Micros(half);
        if (tag === tagOf(1, WIRE_FIXED64)) {
          time = micros;
          timeLo = half.lo;
          timeHi = half.hi;
        } else observed = micros;
        break;
      }
      case tagOf(2, WIRE_VARINT):
        // An enum is an int32 on the wire: a negative one takes ten bytes. Out of range is "unset".
        severityNumber = reader.int64();
        break;
      case tagOf(3, WIRE_BYTES):
        severityText = reader.string(`${where()}.severityText`);
        break;
      case tagOf(5, WIRE_BYTES): {
        const outer = reader.enter();
        body = readAnyValue(reader, () => `${where()}.body`, 0);
        reader.exit(outer);
        break;
      }
      case tagOf(6, WIRE_BYTES): {
        attributes ??= newAttributes();
        const outer = reader.enter();
        readKeyValue(reader, attributes, () => `${where()}.attributes`, 0);
        reader.exit(outer);
        break;
      }
      case tagOf(9, WIRE_BYTES):
        traceId = reader.bytes().toString('hex');
        break;
      case tagOf(10, WIRE_BYTES):
        spanId = reader.bytes().toString('hex');
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  const stream = streamAttribute(attributes);
  // 0 is "unknown" in OTLP: then the time the shipper saw it, else the time it arrived.
  const tsMicros = time > 0 ? time : observed > 0 ? observed : null;
  if (tsMicros !== null && tsMicros > MAX_TS_MICROS) throw new BadRequestError(`${where()}: the timestamp lies after 2262-04-11`, 'invalid_timestamp');
  builder.add(
    {
      source: source(),
      tsMicros,
      tsText: () => String(BigInt(timeHi) * 4294967296n + BigInt(timeLo)),
      message: messageText(body),
      stderr: stream === 'stderr',
      level: levelOfSeverity(severityNumber, severityText),
      fields: recordFields(attributes, traceId, spanId),
    },
    where,
  );
}

/** Nesting past this depth is refused: a body is a document, not a stack to overflow. */
const MAX_DEPTH = 32;

function readKeyValue(reader: ProtobufReader, into: Record<string, AttributeValue>, where: () => string, depth: number): void {
  let key = '';
  let value: AttributeValue = null;
  while (reader.more()) {
    const tag = reader.tag();
    if (tag === tagOf(1, WIRE_BYTES)) key = reader.string(`${where()} key`);
    else if (tag === tagOf(2, WIRE_BYTES)) {
      const outer = reader.enter();
      value = readAnyValue(reader, () => `${where()}.${key}`, depth + 1);
      reader.exit(outer);
    } else reader.skip(tag & 7);
  }
  into[key] = value;
}

function readAnyValue(reader: ProtobufReader, where: () => string, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new ProtobufError(`${where()} nests more than ${MAX_DEPTH} levels`);
  let value: AttributeValue = null;
  while (reader.more()) {
    const tag = reader.tag();
    switch (tag) {
      case tagOf(1, WIRE_BYTES):
        value = reader.string(where());
        break;
      case tagOf(2, WIRE_VARINT):
        value = reader.varint() !== 0;
        break;
      case tagOf(3, WIRE_VARINT):
        value = reader.exactInt64();
        break;
      case tagOf(4, WIRE_FIXED64):
        value = reader.double();
        break;
      case tagOf(5, WIRE_BYTES): {
        const array: AttributeValue[] = [];
        const outer = reader.enter();
        while (reader.more()) {
          const t = reader.tag();
          if (t === tagOf(1, WIRE_BYTES)) {
            const inner = reader.enter();
            array.push(readAnyValue(reader, () => `${where()}[${array.length}]`, depth + 1));
            reader.exit(inner);
          } else reader.skip(t & 7);
        }
        reader.exit(outer);
        value = array;
        break;
      }
      case tagOf(6, WIRE_BYTES): {
        const map = newAttributes();
        const outer = reader.enter();
        while (reader.more()) {
          const t = reader.tag();
          if (t === tagOf(1, WIRE_BYTES)) {
            const inner = reader.enter();
            readKeyValue(reader, map, where, depth + 1);
            reader.exit(inner);
          } else reader.skip(t & 7);
        }
        reader.exit(outer);
        value = map;
        break;
      }
      case tagOf(7, WIRE_BYTES):
        value = reader.bytes().toString('base64');
        break;
      default:
        reader.skip(tag & 7);
    }
  }
  return value;
}
