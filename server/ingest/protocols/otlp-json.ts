// OTLP/HTTP logs in JSON → records for the entry builder. The OTLP JSON mapping: lowerCamelCase
// names, 64-bit integers as decimal strings (numbers accepted too), trace and span ids as hex,
// enums as integers. Unknown names are ignored, as the specification asks of a receiver.
import { BadRequestError } from '../../errors';
import type { EntryBuilder } from './entry-builder';
import { MAX_TS_MICROS } from './entry-builder';
import {
  type AttributeValue,
  labelText,
  levelOfSeverity,
  messageText,
  newAttributes,
  OTLP_LABEL_PREFIXES,
  OTLP_SOURCE_FIELDS,
  recordFields,
  streamAttribute,
} from './otlp-attributes';
import { sourceFieldsOf, sourceKeyOf } from './source-meta';

type Json = Record<string, unknown>;

class OtlpJsonError extends BadRequestError {
  constructor(where: string, detail: string) {
    super(`${where}: ${detail}`, 'invalid_otlp');
  }
}

export function readOtlpJson(body: unknown, builder: EntryBuilder): void {
  const request = object(body, '(body)');
  list(request.resourceLogs, 'resourceLogs').forEach((resourceLogs, i) => readResourceLogs(resourceLogs, builder, `resourceLogs[${i}]`));
}

function readResourceLogs(value: unknown, builder: EntryBuilder, where: string): void {
  const resourceLogs = object(value, where);
  const pairs = new Map<string, string>();
  if (resourceLogs.resource !== undefined && resourceLogs.resource !== null) {
    const attributes = attributesOf(object(resourceLogs.resource, `${where}.resource`).attributes, `${where}.resource.attributes`);
    if (attributes !== null) for (const key of Object.keys(attributes)) pairs.set(key, labelText(attributes[key]));
  }
  const key = sourceKeyOf('otlp', pairs);
  const fields = sourceFieldsOf(pairs, OTLP_SOURCE_FIELDS, OTLP_LABEL_PREFIXES, `${where}.resource`);
  // A resource is a source once it has a record: one without any adds nothing.
  let sourceIndex = -1;
  const source = () => (sourceIndex >= 0 ? sourceIndex : (sourceIndex = builder.sourceOf(key, () => fields, `${where}.resource`)));
  list(resourceLogs.scopeLogs, `${where}.scopeLogs`).forEach((scopeLogs, i) => {
    const scope = object(scopeLogs, `${where}.scopeLogs[${i}]`);
    list(scope.logRecords, `${where}.scopeLogs[${i}].logRecords`).forEach((record, j) =>
      readLogRecord(record, builder, source, `${where}.scopeLogs[${i}].logRecords[${j}]`),
    );
  });
}

function readLogRecord(value: unknown, builder: EntryBuilder, source: () => number, where: string): void {
  const record = object(value, where);
  const time = nanosMicros(record.timeUnixNano, `${where}.timeUnixNano`);
  const observed = nanosMicros(record.observedTimeUnixNano, `${where}.observedTimeUnixNano`);
  const severityNumber = record.severityNumber ?? 0;
  if (typeof severityNumber !== 'number' || !Number.isInteger(severityNumber)) throw new OtlpJsonError(`${where}.severityNumber`, 'expected an integer (enums are integers in OTLP JSON)');
  const severityText = optionalString(record.severityText, `${where}.severityText`);
  const attributes = attributesOf(record.attributes, `${where}.attributes`);
  const body = record.body === undefined || record.body === null ? undefined : anyValue(record.body, `${where}.body`, 0);
  const stream = streamAttribute(attributes);
  builder.add(
    {
      source: source(),
      tsMicros: time > 0 ? time : observed > 0 ? observed : null,
      tsText: () => String(record.timeUnixNano ?? record.observedTimeUnixNano ?? ''),
      message: messageText(body),
      stderr: stream === 'stderr',
      level: levelOfSeverity(severityNumber, severityText),
      fields: recordFields(attributes, hexId(record.traceId, 32, `${where}.traceId`), hexId(record.spanId, 16, `${where}.spanId`)),
    },
    () => where,
  );
}

/** Nanoseconds since the epoch, a decimal string or a number; 0 where absent (OTLP's "unknown"). */
function nanosMicros(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  let digits: string;
  if (typeof value === 'string') digits = value;
  else if (typeof value === 'number' && Number.isInteger(value)) digits = BigInt(value).toString();
  else throw new OtlpJsonError(where, 'expected nanoseconds since 1970 as a decimal string');
  if (digits.startsWith('-')) throw new OtlpJsonError(where, `${digits.slice(0, 32)} lies before 1970`);
  if (!/^\d{1,30}$/.test(digits)) throw new OtlpJsonError(where, `expected nanoseconds since 1970 as a decimal string, got "${digits.slice(0, 32)}"`);
  const micros = digits.length <= 3 ? 0 : Number(digits.slice(0, -3));
  if (micros > MAX_TS_MICROS) throw new BadRequestError(`${where}: ${digits} lies after 2262-04-11, past what nanoseconds in an int64 hold`, 'invalid_timestamp');
  return micros;
}

const MAX_DEPTH = 32;

/** A KeyValue list as an object without a prototype, so no key reaches a setter. */
function attributesOf(value: unknown, where: string): Record<string, AttributeValue> | null {
  if (value === undefined || value === null) return null;
  const attributes = newAttributes();
  list(value, where).forEach((entry, i) => keyValueInto(entry, attributes, `${where}[${i}]`, 0));
  return attributes;
}

function keyValueInto(value: unknown, into: Record<string, AttributeValue>, where: string, depth: number): void {
  const pair = object(value, where);
  if (typeof pair.key !== 'string') throw new OtlpJsonError(`${where}.key`, 'expected a string');
  into[pair.key] = pair.value === undefined || pair.value === null ? null : anyValue(pair.value, `${where}.value`, depth + 1);
}

function anyValue(raw: unknown, where: string, depth: number): AttributeValue {
  if (depth > MAX_DEPTH) throw new OtlpJsonError(where, `nests more than ${MAX_DEPTH} levels`);
  const value = object(raw, where);
  if ('stringValue' in value) return optionalString(value.stringValue, `${where}.stringValue`);
  if ('boolValue' in value) {
    if (typeof value.boolValue !== 'boolean') throw new OtlpJsonError(`${where}.boolValue`, 'expected true or false');
    return value.boolValue;
  }
  if ('intValue' in value) {
    const int = value.intValue;
    if (typeof int === 'number' && Number.isInteger(int)) return int;
    if (typeof int === 'string' && /^-?\d{1,20}$/.test(int)) return Number.isSafeInteger(Number(int)) ? Number(int) : int;
    throw new OtlpJsonError(`${where}.intValue`, 'expected an integer or its decimal string');
  }
  if ('doubleValue' in value) {
    const double = value.doubleValue;
    if (typeof double === 'number') return double;
    if (double === 'NaN' || double === 'Infinity' || double === '-Infinity') return double;
    throw new OtlpJsonError(`${where}.doubleValue`, 'expected a number');
  }
  if ('arrayValue' in value) {
    const values = value.arrayValue === null ? [] : list(object(value.arrayValue, `${where}.arrayValue`).values, `${where}.arrayValue.values`);
    return values.map((item, i) => anyValue(item, `${where}.arrayValue.values[${i}]`, depth + 1));
  }
  if ('kvlistValue' in value) {
    const map = newAttributes();
    const values = value.kvlistValue === null ? [] : list(object(value.kvlistValue, `${where}.kvlistValue`).values, `${where}.kvlistValue.values`);
    values.forEach((entry, i) => keyValueInto(entry, map, `${where}.kvlistValue.values[${i}]`, depth + 1));
    return map;
  }
  if ('bytesValue' in value) return optionalString(value.bytesValue, `${where}.bytesValue`);
  return null;
}

function hexId(value: unknown, length: number, where: string): string {
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string' || value.length !== length || !/^[0-9a-fA-F]+$/.test(value)) {
    throw new OtlpJsonError(where, `expected ${length} hex digits`);
  }
  return value.toLowerCase();
}

function object(value: unknown, where: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OtlpJsonError(where, 'expected an object');
  return value as Json;
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpJsonError(where, 'expected an array');
  return value;
}

function optionalString(value: unknown, where: string): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new OtlpJsonError(where, 'expected a string');
  return value;
}
