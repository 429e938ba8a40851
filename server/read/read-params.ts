// The query-string parameters the read routes share, parsed once with a 400 naming the parameter.
import { MAX_COLUMN_NAME_CHARS, MAX_EXPORT_COLUMNS } from './export';
import { BadRequestError } from '../errors';
import type { QueryNode } from '../query/ast';
import { FIELD_NAME } from '../query/fields';
import { MAX_QUERY_CHARS } from '../query/limits';
import { parseQuery, queryTooLong } from '../query/parse';
import type { MicrosRange } from '../store/log-storage';
import { parseTimeRange } from './time-range';
import { type OffsetPiece, offsetPieces, zoneOffsetMs } from './zone-offset';
import { millisToMicros } from '../store/timestamps';

/** `q` as typed; past MAX_QUERY_CHARS a 400 even where it is not parsed (suggest reads it tolerantly). */
export function queryText(params: URLSearchParams): string {
  const q = params.get('q') ?? '';
  if (q.length > MAX_QUERY_CHARS) throw queryTooLong();
  return q;
}

/** `q` parsed; a syntax error (an invalid regular expression too) is a 400 with its position. */
export function filterOf(params: URLSearchParams): QueryNode {
  return parseQuery(queryText(params));
}

export function rangeOf(params: URLSearchParams, now = Date.now()): MicrosRange {
  const { from, to } = parseTimeRange(params.get('from'), params.get('to'), now);
  return { fromUs: millisToMicros(from), toUs: millisToMicros(to) };
}

/** A whole number in [min, max], or `fallback` when absent. */
export function intParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name)?.trim();
  if (!text) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new BadRequestError(`${name}: expected a whole number from ${min} to ${max}, got "${text.slice(0, 32)}"`, 'invalid_parameter');
  }
  return value;
}

/** One of `choices`, or the first when absent. */
export function choiceParam<T extends string>(params: URLSearchParams, name: string, choices: readonly T[]): T {
  const text = params.get(name)?.trim();
  if (!text) return choices[0];
  if (!(choices as readonly string[]).includes(text)) {
    throw new BadRequestError(`${name}: expected one of ${choices.join(', ')}, got "${text.slice(0, 32)}"`, 'invalid_parameter');
  }
  return text as T;
}

/** A field name as the query language spells one (query/fields.ts), or null when absent. */
export function fieldParam(params: URLSearchParams, name: string): string | null {
  const text = params.get(name);
  if (!text) return null;
  if (!FIELD_NAME.test(text)) {
    throw new BadRequestError(`${name}: expected a field name (letters, digits, _ . / -), got "${text.slice(0, 32)}"`, 'invalid_parameter');
  }
  return text;
}

export function requiredParam(params: URLSearchParams, name: string): string {
  const text = params.get(name);
  if (!text) throw new BadRequestError(`${name}: required`, 'invalid_parameter');
  return text;
}

/** `columns`: comma-separated field names the CSV adds after its fixed columns. */
export function columnsParam(params: URLSearchParams): string[] {
  const names = (params.get('columns') ?? '').split(',').map((c) => c.trim()).filter(Boolean);
  if (names.length > MAX_EXPORT_COLUMNS) throw new BadRequestError(`columns: at most ${MAX_EXPORT_COLUMNS} names, got ${names.length}`, 'invalid_parameter');
  const long = names.find((c) => c.length > MAX_COLUMN_NAME_CHARS);
  if (long) throw new BadRequestError(`columns: a name is at most ${MAX_COLUMN_NAME_CHARS} characters, got one of ${long.length}`, 'invalid_parameter');
  return [...new Set(names)];
}

/** Longest time zone name taken (the longest IANA name has 30 characters). */
const MAX_ZONE_CHARS = 64;

/**
 * `tz`, the IANA time zone the reader counts days in, as its UTC offset (µs) at the range's end;
 * 0 (UTC) when absent. Buckets are aligned to its midnight (zone-offset.ts).
 */
export function zoneOffsetParam(params: URLSearchParams, range: MicrosRange): bigint {
  const zone = zoneParam(params);
  return zone === null ? 0n : BigInt(zoneOffsetMs(zone, Number(range.toUs / 1000n))) * 1000n;
}

/** The range cut where `tz` changes its offset (offsetPieces); one piece at UTC when absent. */
export function zonePiecesParam(params: URLSearchParams, range: MicrosRange): OffsetPiece[] {
  const zone = zoneParam(params);
  return zone === null ? [{ ...range, offsetUs: 0n }] : offsetPieces(zone, range.fromUs, range.toUs);
}

/** `tz` when it names a zone; null when absent; 400 otherwise. */
function zoneParam(params: URLSearchParams): string | null {
  const zone = params.get('tz')?.trim();
  if (!zone) return null;
  try {
    if (zone.length > MAX_ZONE_CHARS) throw new RangeError();
    zoneOffsetMs(zone, 0);
    return zone;
  } catch {
    throw new BadRequestError(`tz: not a time zone: "${zone.slice(0, MAX_ZONE_CHARS)}" (an IANA name such as Europe/Paris, or UTC)`, 'invalid_parameter');
  }
}
