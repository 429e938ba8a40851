// Fields of a structured log message: a JSON object flattened to dotted paths, or logfmt pairs.
// Runs once per ingested entry. Plain lines are turned away by their first word, before any
// allocation; JSON.parse only sees lines that start with `{"` and end with `}`.
//
// Records inherit from an empty frozen object with no prototype (see newFields), so a
// `__proto__` or `constructor` key is an ordinary own key. Read them with Object.keys /
// Object.hasOwn / spread; `Object.assign({}, fields)` would run the `__proto__` setter.
import { MAX_FIELD_VALUE_CHARS } from '../../common/field-value';

export type FieldValue = string | number | boolean;
export type Fields = Record<string, FieldValue>;

/** Fields kept per entry, first in document order. A line with hundreds of keys is a data dump; every field costs storage and a row in the fields API. */
export const MAX_FIELDS = 64;

/** Longest field name (a dotted path). Longer names are dropped, not cut: cut names could collide and nobody types them in a query. */
export const MAX_KEY_CHARS = 128;

/** Longer values are cut (see there). */
export { MAX_FIELD_VALUE_CHARS };

/** Lines longer than this are not JSON-parsed: JSON.parse costs ~3 ns a char (measured on 150-char lines) and builds the whole tree, and such lines are rare and mostly one giant value. Their level is still sniffed from the head. */
export const MAX_JSON_CHARS = 64 * 1024;

/** Object nesting flattened into paths; a deeper object is stored as its JSON text. Keeps paths short and the walk's recursion bounded. */
export const MAX_JSON_DEPTH = 8;

/**
 * Whether `message` may be a JSON object: `{"` or `{}` (spaces allowed) and a closing `}`. Cheap
 * enough to decide before paying for JSON.parse, and rules out `{main} ERROR ...`.
 */
export function looksLikeJsonObject(message: string, start: number): boolean {
  if (message.charCodeAt(start) !== 123 /* { */) return false;
  let i = start + 1;
  while (i < message.length && message.charCodeAt(i) <= 32) i++;
  const second = message.charCodeAt(i);
  if (second !== 34 /* " */ && second !== 125 /* } */) return false;
  let j = message.length - 1;
  while (j > i && message.charCodeAt(j) <= 32) j--;
  return message.charCodeAt(j) === 125 /* } */;
}

/** The object a JSON line holds, or null when it is too large or not valid JSON. Never throws. */
export function parseJsonObject(message: string): Record<string, unknown> | null {
  if (message.length > MAX_JSON_CHARS) return null;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * Leaves of a parsed JSON object under dotted paths (`{"user":{"id":42}}` → `user.id: 42`).
 * Strings, numbers and booleans keep their type; arrays are stored as their JSON text (a path per
 * element would explode the field list); nulls are dropped, so `field:*` means "has a value";
 * empty objects leave nothing. Returns null when no field remains.
 */
export function flattenJson(object: Record<string, unknown>): Fields | null {
  const out = newFields();
  return walk(object, '', 1, out, 0) > 0 ? out : null;
}

function walk(object: Record<string, unknown>, prefix: string, depth: number, out: Fields, count: number): number {
  // Object.keys, not for-in: only the object's own keys, even if someone extended Object.prototype.
  for (const key of Object.keys(object)) {
    if (count >= MAX_FIELDS) break;
    if (key.length === 0) continue;
    const path = prefix === '' ? key : prefix + '.' + key;
    if (path.length > MAX_KEY_CHARS) continue;
    const value = object[key];
    let leaf: FieldValue | undefined;
    switch (typeof value) {
      case 'string':
        leaf = clip(value);
        break;
      case 'number':
        // JSON.parse gives Infinity for 1e999; JSON has no way to store it back.
        leaf = Number.isFinite(value) ? value : String(value);
        break;
      case 'boolean':
        leaf = value;
        break;
      case 'object':
        if (value === null) continue;
        if (Array.isArray(value) || depth >= MAX_JSON_DEPTH) {
          leaf = jsonText(value);
        } else {
          count = walk(value as Record<string, unknown>, path, depth + 1, out, count);
          continue;
        }
        break;
      default:
        continue;
    }
    if (leaf === undefined) continue;
    // `{"a.b":1,"a":{"b":2}}` names one path twice: the later value wins. Counting writes rather
    // than distinct keys saves a lookup per field (a third of the cost); a duplicate only makes
    // the cap bite one field early.
    out[path] = leaf;
    count++;
  }
  return count;
}

/**
 * An empty record whose prototype chain holds no properties, so no key reaches a setter or an
 * inherited value. Not Object.create(null): that object starts in dictionary mode, and adding a
 * dozen keys to one costs ~40% more and makes GC work harder; a child of a fixed null-prototype
 * object stays a fast object.
 */
export function newFields(): Fields {
  return Object.create(EMPTY_PROTOTYPE) as Fields;
}

const EMPTY_PROTOTYPE: object = Object.freeze(Object.create(null));

/** JSON text of a subtree, or undefined if it cannot be written (a nesting deep enough to overflow the stack). */
function jsonText(value: object): string | undefined {
  try {
    return clip(JSON.stringify(value));
  } catch {
    return undefined;
  }
}

/** Cut to MAX_FIELD_VALUE_CHARS, never between the halves of a surrogate pair. */
export function clip(value: string): string {
  if (value.length <= MAX_FIELD_VALUE_CHARS) return value;
  let cut = MAX_FIELD_VALUE_CHARS;
  const last = value.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return value.slice(0, cut);
}

/**
 * Pairs of a logfmt line (`level=info msg="a \"b\"" took=12`), or null unless the line starts with
 * `identifier=` and holds at least two pairs — one `=` in a sentence is not logfmt.
 *
 * Unquoted values become numbers when they are a JSON-style number that survives the conversion
 * (`42`, `-1.5`, `1e3`; not `007`, not 20-digit ids) and booleans when `true`/`false`; quoted values
 * stay strings, because quoting is the writer saying "this is text". Bare words without `=` are
 * skipped (they are usually the tail of an unquoted message). An unterminated quote runs to the end.
 */
export function parseLogfmt(message: string): Fields | null {
  const n = message.length;
  let i = 0;
  while (i < n && message.charCodeAt(i) <= 32) i++;
  if (!startsWithKey(message, i)) return null;
  let out: Fields | null = null;
  let pairs = 0;
  let count = 0;
  while (i < n && count < MAX_FIELDS) {
    let c = message.charCodeAt(i);
    if (c <= 32) {
      i++;
      continue;
    }
    const keyStart = i;
    while (i < n && (c = message.charCodeAt(i)) > 32 && c !== 61 /* = */ && c !== 34 /* " */) i++;
    const keyEnd = i;
    if (i >= n || c !== 61 || keyEnd === keyStart) {
      // A bare word, a stray quote or `=value` without a key: skip to the next space.
      while (i < n && message.charCodeAt(i) > 32) i++;
      continue;
    }
    i++; // past '='
    let value: FieldValue;
    if (i < n && message.charCodeAt(i) === 34 /* " */) {
      value = readQuoted(message, i + 1);
      i = quotedEnd;
    } else {
      const valueStart = i;
      while (i < n && message.charCodeAt(i) > 32) i++;
      value = typedValue(message, valueStart, i);
    }
    pairs++;
    if (keyEnd - keyStart > MAX_KEY_CHARS) continue;
    out ??= newFields();
    // A repeated key: the later value wins, and counts twice against the cap (see walk()).
    out[message.slice(keyStart, keyEnd)] = value;
    count++;
  }
  return pairs >= 2 ? out : null;
}

/** An identifier (`[A-Za-z_][A-Za-z0-9_.\-/]*`) followed by `=`. Plain lines fail at their first space. */
function startsWithKey(s: string, i: number): boolean {
  const first = s.charCodeAt(i);
  const lower = first | 0x20;
  if (!((lower >= 97 && lower <= 122) || first === 95 /* _ */)) return false;
  for (i++; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 61 /* = */) return true;
    const l = c | 0x20;
    const ok =
      (l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 47;
    if (!ok) return false;
  }
  return false;
}

/** Where the last readQuoted() stopped; a second result without allocating a pair per value. */
let quotedEnd = 0;

/**
 * A quoted value starting after its opening quote, with Go/JSON escapes (`\" \\ \n \t \r \uXXXX`;
 * an unknown escape keeps its char). Stops accumulating at the value cap but reads on to the
 * closing quote, so the next pair is found. Sets quotedEnd past the closing quote.
 */
function readQuoted(s: string, start: number): string {
  const n = s.length;
  let value = '';
  let runStart = start;
  let i = start;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 34 /* " */) {
      quotedEnd = i + 1;
      return clip(appendCapped(value, s, runStart, i));
    }
    if (c !== 92 /* \ */ || i + 1 >= n) {
      i++;
      continue;
    }
    value = appendCapped(value, s, runStart, i);
    const e = s.charCodeAt(i + 1);
    let decoded: string;
    let width = 2;
    switch (e) {
      case 110 /* n */: decoded = '\n'; break;
      case 116 /* t */: decoded = '\t'; break;
      case 114 /* r */: decoded = '\r'; break;
      case 98 /* b */: decoded = '\b'; break;
      case 102 /* f */: decoded = '\f'; break;
      case 117 /* u */: {
        const code = i + 6 <= n ? hex4(s, i + 2) : -1;
        if (code >= 0) {
          decoded = String.fromCharCode(code);
          width = 6;
        } else {
          decoded = 'u';
        }
        break;
      }
      default:
        decoded = String.fromCharCode(e);
    }
    if (value.length < MAX_FIELD_VALUE_CHARS) value += decoded;
    i += width;
    runStart = i;
  }
  quotedEnd = n;
  return clip(appendCapped(value, s, runStart, n));
}

function appendCapped(value: string, s: string, from: number, to: number): string {
  if (from >= to || value.length >= MAX_FIELD_VALUE_CHARS) return value;
  // Copy one char past the cap at most; clip() then settles where to cut.
  const room = MAX_FIELD_VALUE_CHARS + 1 - value.length;
  return value + s.slice(from, Math.min(to, from + room));
}

function hex4(s: string, at: number): number {
  let code = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(at + k);
    const digit = c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
    if (digit < 0) return -1;
    code = code * 16 + digit;
  }
  return code;
}

/** An unquoted logfmt value: number, boolean or string. */
function typedValue(s: string, a: number, b: number): FieldValue {
  const len = b - a;
  if (len === 4 && s.startsWith('true', a)) return true;
  if (len === 5 && s.startsWith('false', a)) return false;
  const text = clip(s.slice(a, b));
  const shape = numberShape(s, a, b);
  if (shape === NOT_A_NUMBER) return text;
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  // An integer past 2^53 is an id; as a number it would come back with other digits.
  if (shape === INTEGER && !Number.isSafeInteger(n)) return text;
  return n;
}

const NOT_A_NUMBER = 0;
const INTEGER = 1;
const DECIMAL = 2;

/** JSON number grammar: `-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`. Rejects `007`, `1.`, `.5`, `0x1f`. */
function numberShape(s: string, a: number, b: number): number {
  let i = a;
  if (i < b && s.charCodeAt(i) === 45 /* - */) i++;
  if (i >= b) return NOT_A_NUMBER;
  if (s.charCodeAt(i) === 48 /* 0 */) {
    i++;
  } else if (isDigit(s.charCodeAt(i))) {
    while (i < b && isDigit(s.charCodeAt(i))) i++;
  } else {
    return NOT_A_NUMBER;
  }
  if (i === b) return INTEGER;
  if (s.charCodeAt(i) === 46 /* . */) {
    const digits = ++i;
    while (i < b && isDigit(s.charCodeAt(i))) i++;
    if (i === digits) return NOT_A_NUMBER;
  }
  if (i < b && (s.charCodeAt(i) | 0x20) === 101 /* e */) {
    i++;
    if (i < b && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    const digits = i;
    while (i < b && isDigit(s.charCodeAt(i))) i++;
    if (i === digits) return NOT_A_NUMBER;
  }
  return i === b ? DECIMAL : NOT_A_NUMBER;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
