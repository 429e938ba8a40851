// Docker's json-file format: one JSON object per line,
//   {"log":"text\n","stream":"stdout","time":"2024-01-01T00:00:00.000000001Z"}
// Docker splits lines longer than 16 KiB into records whose `log` lacks the trailing `\n`;
// those continue in the next record of the same stream.
import type { Stream } from '../../common/ingest-batch';
import type { RawLine } from './line-splitter';
import type { ParsedLine } from './parsed-line';
import { isRfc3339 } from './timestamp';

const LOG_PREFIX = '{"log":"';
const TAIL_FIELDS = /(\\n)?","stream":"(stdout|stderr)"(?:.*)"time":"([^"]*)"\}\s*$/;

export function looksLikeDocker(line: RawLine): boolean {
  return line.head.length > 0 && line.head[0] === 0x7b && parseDockerLine(line) !== undefined;
}

/** The parsed record, or undefined when the line is not a Docker json-file record. */
export function parseDockerLine(line: RawLine): ParsedLine | undefined {
  if (line.cut) return parseCutRecord(line);
  let record: unknown;
  try {
    record = JSON.parse(line.head.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!record || typeof record !== 'object') return undefined;
  const { log, stream, time } = record as Record<string, unknown>;
  if (typeof log !== 'string' || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  const partial = !log.endsWith('\n');
  // A lone surrogate spelled by a JSON escape becomes U+FFFD in Buffer.from, like invalid UTF-8.
  const text = partial ? log : log.slice(0, -1);
  return {
    offset: line.offset,
    end: line.end,
    ts: typeof time === 'string' && isRfc3339(time) ? time : undefined,
    stream: stream as Stream,
    partial,
    text: Buffer.from(text, 'utf8'),
    cut: false,
  };
}

/**
 * A record longer than the splitter keeps: its JSON cannot be parsed, so decode the kept prefix
 * of `log` and read `stream` and `time` from the line's last bytes.
 */
function parseCutRecord(line: RawLine): ParsedLine | undefined {
  const head = line.head.toString('utf8');
  if (!head.startsWith(LOG_PREFIX)) return undefined;
  const text = decodeJsonStringPrefix(head.slice(LOG_PREFIX.length));
  if (text === undefined) return undefined;
  const fields = line.tail ? TAIL_FIELDS.exec(line.tail.toString('utf8')) : null;
  const time = fields?.[3];
  return {
    offset: line.offset,
    end: line.end,
    ts: time !== undefined && isRfc3339(time) ? time : undefined,
    stream: (fields?.[2] as Stream | undefined) ?? 'stdout',
    partial: fields ? fields[1] === undefined : false,
    text: Buffer.from(text, 'utf8'),
    cut: true,
  };
}

/** Decodes the body of a JSON string that was cut anywhere, dropping a half escape at the end. */
function decodeJsonStringPrefix(body: string): string | undefined {
  const quote = findUnescapedQuote(body);
  let usable = quote === -1 ? body : body.slice(0, quote);
  const halfEscape = /\\(u[0-9a-fA-F]{0,3})?$/.exec(usable);
  if (halfEscape && countTrailingBackslashes(usable.slice(0, halfEscape.index + 1)) % 2 === 1) {
    usable = usable.slice(0, halfEscape.index);
  }
  try {
    return JSON.parse(`"${usable}"`) as string;
  } catch {
    return undefined;
  }
}

function findUnescapedQuote(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

function countTrailingBackslashes(text: string): number {
  let n = 0;
  while (n < text.length && text.charCodeAt(text.length - 1 - n) === 0x5c) n++;
  return n;
}
