// A pattern text (query/pattern-template.ts) as the clusterer's tokens: its first line split at
// blanks, with the parts that vary from line to line by their nature — numbers, durations, sizes,
// hex, UUIDs, IP addresses, dates, long ids, quoted free text — already written `<_>`. Masking them
// before clustering is what keeps `GET /api/orders/1234` and `GET /api/orders/98` in one pattern
// from the first line on, as Drain3's masking and Loki's tokenizer do.
//
// Whatever is masked here, the line still fits the template it ends up in: each `<_>` stands for
// text without a line break, and a masked quoted string's blanks are inside a `<_>` too.
import { PLACEHOLDER } from '../query/pattern-template';

/** A character of a piece: what sits between blanks and the delimiters that split tokens (`/api/orders/12` → `/api/orders/<_>`). */
const PIECE = `[^\\s=:,;/()[\\]{}|@&?!#"'<>]`;
const HEXDIGIT = '[0-9a-fA-F]';
/**
 * Variable text, as whole pieces (a lookbehind and a lookahead keep a match from starting or
 * ending inside one). In one expression, so a line is masked in one pass. In order:
 * a time of day, an IPv6 address (both span colons), a date with anything glued on, a UUID,
 * hex of six digits or more, Go's compound durations, a number with an optional short unit
 * (42, -1.5e3, 12ms, 3.4MiB, 99%), and an id of 12+ letters and digits (request, trace, pod hash).
 */
const VARIABLE = new RegExp(
  `(?<!${PIECE})(?:` +
    [
      `\\d{1,2}:\\d{2}(?::\\d{2})?(?:[.,]\\d+)?Z?`,
      `(?=[0-9a-fA-F:]*\\d)(?:${HEXDIGIT}{0,4}:){2,7}${HEXDIGIT}{0,4}`,
      `\\d{4}-\\d{2}-\\d{2}${PIECE}*`,
      `${HEXDIGIT}{8}(?:-${HEXDIGIT}{4}){3}-${HEXDIGIT}{12}`,
      `0x${HEXDIGIT}+`,
      `(?=${HEXDIGIT}{6})${HEXDIGIT}*\\d${HEXDIGIT}*`,
      `(?:\\d+(?:\\.\\d+)?(?:h|ms|m|s|us|µs|ns))+`,
      `[-+]?(?:\\d+(?:[.,]\\d+)*|\\.\\d+)(?:[eE][-+]?\\d+)?[a-zA-Zµ%]{0,3}`,
      `(?=${PIECE}*\\d)(?=${PIECE}*[A-Za-z])[A-Za-z0-9_+.-]{12,}`,
    ].join('|') +
    `)(?!${PIECE})`,
  'g',
);
const BLANKS = /[\t\v\f\r ]+/;
/** `"…"` with escapes, and `'…'` where a value starts (so `don't` stays a word). */
const QUOTED = /"(?:[^"\\\n]|\\.)*"|(^|[\s=:([,])'[^'\n]*'/g;
/**
 * Quoted text of more words than this is free text (a user agent, a message) and one `<_>`;
 * shorter stays words, so an access log's `"GET /api/orders/<_> HTTP/1.1"` shows what it asked.
 */
const MAX_QUOTED_WORDS = 3;

function maskQuoted(line: string): string {
  if (!line.includes('"') && !line.includes("'")) return line;
  return line.replace(QUOTED, (match: string, lead: string | undefined) => {
    const quote = match.slice(lead?.length ?? 0);
    return quote.split(BLANKS).length > MAX_QUOTED_WORDS ? `${lead ?? ''}${PLACEHOLDER}` : match;
  });
}

/** Text with its variable parts written `<_>`. */
export function maskVariables(text: string): string {
  return /\d/.test(text) ? text.replace(VARIABLE, PLACEHOLDER) : text;
}

/**
 * The tokens of a pattern text. `cut` says the text may have been cut short (the sample reads a
 * bounded prefix): its last token then ends in `<_>`, which stands for the rest.
 */
export function patternTokens(text: string, cut: boolean): string[] {
  const newline = text.indexOf('\n');
  const line = newline === -1 ? text : text.slice(0, newline);
  const tokens = maskVariables(maskQuoted(line)).split(BLANKS).filter((t) => t !== '');
  if (cut && newline === -1) {
    const last = tokens.length - 1;
    if (last < 0) tokens.push(PLACEHOLDER);
    else if (!tokens[last].endsWith(PLACEHOLDER)) tokens[last] += PLACEHOLDER;
  }
  return tokens;
}
