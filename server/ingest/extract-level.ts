// The level of a log line: from a structured value (a JSON or logfmt `level` field) or from the
// first words of a plain line; failing that, from the HTTP status of an access log (a status
// field, or the code after the quoted request line). This runs once per ingested entry, so the
// plain-text path reads char codes from a bounded prefix, compiles no regex and allocates nothing.

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'unknown';

/** Every level, least severe first, `unknown` last. */
export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'unknown'];

/**
 * Chars of a plain line searched for a level word. Fits a 30-char timestamp, a bracketed thread
 * name and the level (logback's default layout), and makes a 1 MiB line cost what a short one does.
 */
export const PLAIN_PREFIX_CHARS = 80;

/**
 * Chars of an oversized JSON line searched for a `"level": ...` pair. Loggers write the level among
 * the first keys; the lines too big to parse are the ones with stack traces, which we want leveled.
 */
export const JSON_LEVEL_SNIFF_CHARS = 2048;

/** Longest value worth a name lookup ("informational" has 13); a longer string is a message, not a level. */
const MAX_LEVEL_VALUE_CHARS = 16;

/**
 * Keys holding a level, most specific first: `level` (pino, zap, slog, logrus), `lvl` (log15),
 * `severity` (GCP, OpenTelemetry), `levelname` (python-json-logger), `log.level` (Elastic ECS,
 * flattened or nested), `@l` (Serilog's compact JSON). The first that names a known level wins.
 */
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'loglevel', 'log.level', 'Level', 'LEVEL', 'Severity', '@l'];

/**
 * Chars of a plain line searched for the opening quote of an access log's request line. Fits a
 * client address (IPv6, or a virtual host and port), ident, user and `[05/Dec/2026:10:00:00
 * +0000]` before it, as in every CLF variant; Envoy's `[2026-12-05T10:00:00.000Z] "` is shorter.
 */
export const ACCESS_REQUEST_PREFIX_CHARS = 160;

/**
 * Longest request line (`GET /path?query HTTP/1.1`) searched for its closing quote. nginx's
 * default large_client_header_buffers is 8k, so a longer request line is not served as one.
 */
export const MAX_REQUEST_LINE_CHARS = 8192;

/**
 * Fields holding a response's HTTP status, read when a record names no known level. `status` (Caddy,
 * nginx JSON formats, which often write it as a string), `status_code`/`statusCode`,
 * `response_code` (Envoy's and Istio's JSON access logs), `DownstreamStatus` (Traefik: what the
 * client got, not `OriginStatus`), `http.status_code` and `http.response.status_code`
 * (OpenTelemetry, Elastic ECS; flat or nested), `httpRequest.status` (Google Cloud's LogEntry).
 * The first that holds a status from 100 to 599 wins.
 */
const STATUS_PATHS: ReadonlyArray<{ flat: string; path: readonly string[] }> = [
  'status', 'status_code', 'statusCode', 'response_code', 'DownstreamStatus',
  'http.status_code', 'http.response.status_code', 'httpRequest.status',
].map((flat) => ({ flat, path: flat.split('.') }));

/** Bucket of a pino/bunyan number: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
const NUMERIC_LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

// Names as loggers write them, lowercased. Critical/panic/emergency/alert map to fatal: the top
// bucket means "someone must act now", which is what those names say (Python CRITICAL, zap panic,
// syslog emerg/alert/crit). zap's dpanic only panics in development, so it stays an error; JUL's
// SEVERE is its error. Single letters (Android, klog-style) are safe here because the value sits in
// a field named level — unlike in plain text, where they are not looked for.
const LEVEL_NAMES: ReadonlyMap<string, Level> = new Map<string, Level>([
  ['trace', 'trace'], ['trc', 'trace'], ['t', 'trace'], ['verbose', 'trace'], ['v', 'trace'],
  ['finest', 'trace'], ['finer', 'trace'],
  ['debug', 'debug'], ['dbg', 'debug'], ['d', 'debug'], ['fine', 'debug'],
  ['info', 'info'], ['inf', 'info'], ['i', 'info'], ['information', 'info'],
  ['informational', 'info'], ['notice', 'info'],
  ['warn', 'warn'], ['warning', 'warn'], ['wrn', 'warn'], ['w', 'warn'],
  ['error', 'error'], ['err', 'error'], ['eror', 'error'], ['e', 'error'], ['severe', 'error'],
  ['dpanic', 'error'],
  ['fatal', 'fatal'], ['ftl', 'fatal'], ['f', 'fatal'], ['critical', 'fatal'], ['crit', 'fatal'],
  ['panic', 'fatal'], ['pnc', 'fatal'], ['emergency', 'fatal'], ['emerg', 'fatal'], ['alert', 'fatal'],
]);

/**
 * Level named by a structured value: a name in any case, or a pino/bunyan number. Numbers outside
 * 10..69 are unknown on purpose: syslog (0–7, lower is worse) and OpenTelemetry (1–24) scales
 * overlap and disagree, so guessing would mislabel.
 */
export function levelFromValue(value: unknown): Level {
  if (typeof value === 'number') return levelFromNumber(value);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LEVEL_VALUE_CHARS) {
    return 'unknown';
  }
  const named = LEVEL_NAMES.get(value) ?? LEVEL_NAMES.get(value.toLowerCase().trim());
  if (named !== undefined) return named;
  return isDigits(value) ? levelFromNumber(Number(value)) : 'unknown';
}

function levelFromNumber(n: number): Level {
  if (!(n >= 10 && n < 70)) return 'unknown';
  return NUMERIC_LEVELS[Math.floor(n / 10) - 1];
}

function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Level of a parsed JSON object or a logfmt record. Reads the object itself, not its flattened
 * fields, so a level key past the field cap still counts.
 */
export function levelFromRecord(record: Record<string, unknown>): Level {
  for (const key of LEVEL_KEYS) {
    const level = levelFromValue(record[key]);
    if (level !== 'unknown') return level;
  }
  const log = record.log;
  if (typeof log === 'object' && log !== null && !Array.isArray(log)) {
    const level = levelFromValue((log as Record<string, unknown>).level);
    if (level !== 'unknown') return level;
  }
  // Serilog's compact JSON leaves `@l` out at its default level, Information.
  if (typeof record['@mt'] === 'string' || typeof record['@m'] === 'string') return 'info';
  return levelFromStatusFields(record);
}

/**
 * Level of a record that names none, from its HTTP status field (see STATUS_PATHS): an access log
 * written as JSON or logfmt. A dotted name is read as a flat key first, then as nested objects.
 */
function levelFromStatusFields(record: Record<string, unknown>): Level {
  for (const { flat, path } of STATUS_PATHS) {
    const flatValue = record[flat];
    const level = levelFromStatus(flatValue === undefined && path.length > 1 ? nestedValue(record, path) : flatValue);
    if (level !== 'unknown') return level;
  }
  return 'unknown';
}

/** The value at `path` through nested objects, or undefined where one is missing or not an object. */
function nestedValue(record: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An HTTP status as a number or a three-digit string: 5xx error, 4xx warn, 1xx–3xx info. */
function levelFromStatus(value: unknown): Level {
  let code: number;
  if (typeof value === 'number') {
    code = value;
  } else if (typeof value === 'string' && value.length === 3 && isDigits(value)) {
    code = Number(value);
  } else {
    return 'unknown';
  }
  if (!Number.isInteger(code) || code < 100 || code > 599) return 'unknown';
  return code >= 500 ? 'error' : code >= 400 ? 'warn' : 'info';
}

/**
 * Level of a JSON line too large to parse: the first `"level"`, `"severity"` or `"lvl"` key in
 * its head, with a string or number value. Escaped quotes are not decoded — no level name has one.
 */
export function levelFromJsonHead(message: string): Level {
  const head = message.length > JSON_LEVEL_SNIFF_CHARS ? message.slice(0, JSON_LEVEL_SNIFF_CHARS) : message;
  for (const key of ['"level"', '"severity"', '"lvl"']) {
    const at = head.indexOf(key);
    if (at < 0) continue;
    let i = skipSpace(head, at + key.length);
    if (head.charCodeAt(i) !== 58 /* : */) continue;
    i = skipSpace(head, i + 1);
    let level: Level;
    if (head.charCodeAt(i) === 34 /* " */) {
      const close = head.indexOf('"', i + 1);
      level = close < 0 ? 'unknown' : levelFromValue(head.slice(i + 1, close));
    } else {
      let j = i;
      while (j < head.length && isDigit(head.charCodeAt(j))) j++;
      level = j === i ? 'unknown' : levelFromNumber(Number(head.slice(i, j)));
    }
    if (level !== 'unknown') return level;
  }
  return 'unknown';
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && s.charCodeAt(i) <= 32) i++;
  return i;
}

/**
 * Level of a plain-text line, from its first PLAIN_PREFIX_CHARS chars: a klog header (`E1125
 * 12:00:00.000000 ...`), a Python traceback or Java/Python/JS exception head, or a level word
 * (`INFO`, `[error]`, `WARNING:`, `level=warn`) before any other word. Timestamps, numbers,
 * punctuation and bracketed words (`[main]`) may come first; a free word stops the search, so
 * `connection error` in a sentence is not read as a level. Failing all that, an access log line
 * gets the level of its HTTP status (see levelFromAccessLine).
 */
export function levelFromText(message: string): Level {
  const n = message.length;
  const start = skipSpace(message, 0);
  if (start === n) return 'unknown';
  const end = Math.min(n, start + PLAIN_PREFIX_CHARS);
  const klog = klogLevel(message, start);
  if (klog !== null) return klog;
  if (
    message.startsWith('Traceback (most recent call last)', start) ||
    message.startsWith('Exception in thread ', start) ||
    message.startsWith('Caused by: ', start) ||
    isExceptionHead(message, start, end)
  ) {
    return 'error';
  }
  const level = levelFromWords(message, start, end);
  return level !== 'unknown' ? level : levelFromAccessLine(message, start);
}

/**
 * Level of an access log line from its HTTP status: the three digits right after a quoted request
 * line `"METHOD target HTTP/x.y"` that opens within ACCESS_REQUEST_PREFIX_CHARS — the shape of
 * nginx's and Apache's common and combined formats, ingress-nginx's `upstreaminfo` and Envoy's and
 * Istio's default format (`[2026-12-05T10:00:00.000Z] "GET /x HTTP/1.1" 503 UF ...`). Nothing
 * looser: a 500 anywhere else in a line is not a status. Envoy's status 0 (no response was sent,
 * or a TCP connection's `"- - -"`) and nginx's `"-" 400` (no request line came) stay unknown.
 */
function levelFromAccessLine(s: string, start: number): Level {
  const end = Math.min(s.length, start + ACCESS_REQUEST_PREFIX_CHARS);
  for (let i = indexOfQuote(s, start, end); i >= 0; i = indexOfQuote(s, i + 1, end)) {
    if (i > start && s.charCodeAt(i - 1) !== 32) continue;
    const level = levelAfterRequestLine(s, i + 1);
    if (level !== 'unknown') return level;
  }
  return 'unknown';
}

/**
 * Lines up to this long are searched for a quote with String#indexOf: a native search, measured on
 * the bench corpus at a fraction of a char loop's cost over the prefix, but it runs to the end of
 * the line; longer lines get the loop, bounded by `end`.
 */
const NATIVE_SEARCH_MAX_CHARS = 2048;

/** Position of the first `"` in [from, end), or -1. */
function indexOfQuote(s: string, from: number, end: number): number {
  if (s.length <= NATIVE_SEARCH_MAX_CHARS) {
    const at = s.indexOf('"', from);
    return at < end ? at : -1;
  }
  for (let i = from; i < end; i++) if (s.charCodeAt(i) === 34 /* " */) return i;
  return -1;
}

/** `METHOD target HTTP/x[.y]" NNN` from `at` (just past the opening quote), then a space or the end. */
function levelAfterRequestLine(s: string, at: number): Level {
  const n = s.length;
  let i = at;
  while (i < n && isUpperAsciiLetter(s.charCodeAt(i))) i++;
  // Methods are upper-case tokens: GET, DELETE, OPTIONS, WebDAV's PROPPATCH.
  if (i - at < 3 || i - at > 10 || s.charCodeAt(i) !== 32) return 'unknown';
  const targetStart = i + 1;
  const close = indexOfQuote(s, targetStart, Math.min(n, targetStart + MAX_REQUEST_LINE_CHARS));
  if (close < 0) return 'unknown';
  // The protocol ends the request line: HTTP/1.0, HTTP/1.1, HTTP/2, HTTP/3.
  let major = close - 1;
  if (!isDigit(s.charCodeAt(major))) return 'unknown';
  if (s.charCodeAt(major - 1) === 46 /* . */) {
    major -= 2;
    if (!isDigit(s.charCodeAt(major))) return 'unknown';
  }
  if (major - 6 <= targetStart || !s.startsWith(' HTTP/', major - 6)) return 'unknown';
  // Then one space and the status, as CLF and Envoy write it.
  const d = close + 2;
  if (s.charCodeAt(close + 1) !== 32 || d + 3 > n) return 'unknown';
  const c0 = s.charCodeAt(d) - 48;
  const c1 = s.charCodeAt(d + 1) - 48;
  const c2 = s.charCodeAt(d + 2) - 48;
  if (c0 < 1 || c0 > 5 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) return 'unknown';
  if (d + 3 < n && s.charCodeAt(d + 3) > 32) return 'unknown';
  return c0 === 5 ? 'error' : c0 === 4 ? 'warn' : 'info';
}

/** klog/glog header: one of I W E F, then MMDD, a space and the time (`I1125 12:00:00.123456`). */
function klogLevel(s: string, i: number): Level | null {
  if (i + 6 >= s.length) return null;
  for (let k = 1; k <= 4; k++) if (!isDigit(s.charCodeAt(i + k))) return null;
  if (s.charCodeAt(i + 5) !== 32 || !isDigit(s.charCodeAt(i + 6))) return null;
  switch (s.charCodeAt(i)) {
    case 73 /* I */: return 'info';
    case 87 /* W */: return 'warn';
    case 69 /* E */: return 'error';
    case 70 /* F */: return 'fatal';
    default: return null;
  }
}

/**
 * `java.lang.IllegalStateException: ...`, `KeyError: 'x'`, `TypeError: ...`: a (dotted) class name
 * ending in Exception or Error, then a colon or the end of the line.
 */
function isExceptionHead(s: string, i: number, end: number): boolean {
  if (!isAsciiLetter(s.charCodeAt(i))) return false;
  let j = i + 1;
  while (j < end && isClassNameChar(s.charCodeAt(j))) j++;
  if (j < s.length && s.charCodeAt(j) !== 58 /* : */) return false;
  return (
    (j - i >= 9 && s.startsWith('Exception', j - 9)) || (j - i >= 5 && s.startsWith('Error', j - 5))
  );
}

function levelFromWords(s: string, start: number, end: number): Level {
  let depth = 0;
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 91 /* [ */ || c === 40 /* ( */ || c === 60 /* < */ || c === 123 /* { */) {
      depth++;
      i++;
      continue;
    }
    if (c === 93 /* ] */ || c === 41 /* ) */ || c === 62 /* > */ || c === 125 /* } */) {
      if (depth > 0) depth--;
      i++;
      continue;
    }
    // Inside brackets a slash ends a word too: Celery writes `[<time>: INFO/MainProcess]`. What
    // follows a slash is a path's part (`[GET /debug/pprof]`), never a level.
    const slashEnds = depth > 0;
    if (isSeparator(c) || (slashEnds && c === 47 /* / */)) {
      i++;
      continue;
    }
    const wordStart = i;
    while (i < end && isWordChar(s.charCodeAt(i)) && !(slashEnds && s.charCodeAt(i) === 47)) i++;
    if (slashEnds && s.charCodeAt(wordStart - 1) === 47) continue;
    // A word cut by the prefix bound could be "ERRORS" seen as "ERR": stop rather than guess.
    if (i === end && end < s.length && isWordChar(s.charCodeAt(end))) return 'unknown';
    const first = s.charCodeAt(wordStart);
    // Timestamps, pids, "-", "*": noise before the level.
    if (!isAsciiLetter(first) && first < 128) continue;
    const level = levelWord(s, wordStart, i);
    if (level !== null) return level;
    if (depth > 0 || isSkippableWord(s, wordStart, i)) continue;
    return 'unknown';
  }
  return 'unknown';
}

/**
 * Level words of plain text, any case (but `LOG`). Three-letter forms are zerolog's console output
 * (`INF`, `WRN`); single letters and `alert` are left out: too common as ordinary first words.
 */
function levelWord(s: string, a: number, b: number): Level | null {
  switch (b - a) {
    case 3:
      if (eqLower(s, a, 'err')) return 'error';
      // PostgreSQL's informational level; only in its capitals, as "Log" opens ordinary sentences.
      if (s.startsWith('LOG', a)) return 'info';
      if (eqLower(s, a, 'inf')) return 'info';
      if (eqLower(s, a, 'wrn')) return 'warn';
      if (eqLower(s, a, 'dbg')) return 'debug';
      if (eqLower(s, a, 'trc')) return 'trace';
      if (eqLower(s, a, 'ftl')) return 'fatal';
      return null;
    case 4:
      if (eqLower(s, a, 'info')) return 'info';
      if (eqLower(s, a, 'warn')) return 'warn';
      if (eqLower(s, a, 'crit')) return 'fatal';
      return null;
    case 5:
      if (eqLower(s, a, 'error')) return 'error';
      if (eqLower(s, a, 'debug')) return 'debug';
      if (eqLower(s, a, 'trace')) return 'trace';
      if (eqLower(s, a, 'fatal')) return 'fatal';
      if (eqLower(s, a, 'panic')) return 'fatal';
      if (eqLower(s, a, 'emerg')) return 'fatal';
      return null;
    case 6:
      if (eqLower(s, a, 'notice')) return 'info';
      if (eqLower(s, a, 'severe')) return 'error';
      return null;
    case 7:
      return eqLower(s, a, 'warning') ? 'warn' : null;
    case 8:
      return eqLower(s, a, 'critical') ? 'fatal' : null;
    default:
      return null;
  }
}

/** Words that may precede the level: its key (`level=error`) and zone names after a timestamp (postgres). */
function isSkippableWord(s: string, a: number, b: number): boolean {
  switch (b - a) {
    case 3:
      return eqLower(s, a, 'lvl') || eqLower(s, a, 'utc') || eqLower(s, a, 'gmt');
    case 5:
      return eqLower(s, a, 'level');
    case 8:
      return eqLower(s, a, 'severity') || eqLower(s, a, 'loglevel');
    default:
      return false;
  }
}

/** `word` is lowercase ASCII letters; `| 0x20` lowercases a letter and maps no other char onto one. */
function eqLower(s: string, at: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

function isSeparator(c: number): boolean {
  return (
    c <= 32 ||
    c === 58 /* : */ ||
    c === 61 /* = */ ||
    c === 124 /* | */ ||
    c === 44 /* , */ ||
    c === 59 /* ; */ ||
    c === 34 /* " */ ||
    c === 39 /* ' */
  );
}

function isWordChar(c: number): boolean {
  return !(
    isSeparator(c) ||
    c === 91 || c === 93 || c === 40 || c === 41 || c === 60 || c === 62 || c === 123 || c === 125
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpperAsciiLetter(c: number): boolean {
  return c >= 65 && c <= 90;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

function isClassNameChar(c: number): boolean {
  return isAsciiLetter(c) || isDigit(c) || c === 46 /* . */ || c === 95 /* _ */ || c === 36 /* $ */;
}
