// The level of a log line: from a structured value (a JSON or logfmt `level` field) or from the
// first words of a plain line. This runs once per ingested entry, so the plain-text path reads
// char codes from a bounded prefix, compiles no regex and allocates nothing.

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
 * flattened or nested). The first that names a known level wins.
 */
const LEVEL_KEYS = ['level', 'lvl', 'severity', 'levelname', 'loglevel', 'log.level', 'Level', 'LEVEL', 'Severity'];

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
    return levelFromValue((log as Record<string, unknown>).level);
  }
  return 'unknown';
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
 * `connection error` in a sentence is not read as a level.
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
  return levelFromWords(message, start, end);
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
    if (isSeparator(c)) {
      i++;
      continue;
    }
    const wordStart = i;
    while (i < end && isWordChar(s.charCodeAt(i))) i++;
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
 * Level words of plain text, any case. Three-letter forms are zerolog's console output (`INF`,
 * `WRN`); single letters and `alert` are left out: too common as ordinary first words.
 */
function levelWord(s: string, a: number, b: number): Level | null {
  switch (b - a) {
    case 3:
      if (eqLower(s, a, 'err')) return 'error';
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

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 97 && l <= 122;
}

function isClassNameChar(c: number): boolean {
  return isAsciiLetter(c) || isDigit(c) || c === 46 /* . */ || c === 95 /* _ */ || c === 36 /* $ */;
}
