// A pattern (the Patterns view) as a filter: `pattern:"GET /api/orders/<_> HTTP/1.1 <_>"`. Both the
// clusterer (server/patterns/) and every engine's compiler read a line the same way through this
// module, so the lines a pattern counts are exactly the lines its filter finds.
//
// A line's pattern text is the first line of its message; for a JSON or logfmt line, of its
// `msg` or `message` field (the first one present), so a structured line is grouped by what it
// says, not by its whole object. A template is that text's whitespace-separated tokens, each kept
// literally or with variable parts written `<_>`; it matches a pattern text whose tokens, in order,
// are the literal parts with anything (but a line break) at each `<_>`, separated by any run of
// blanks.
import { REGEX_WEIGHT } from './regex-check';
import { escapeRegex } from './regex-text';

/** The placeholder for a template's variable part, as Loki and Grafana write it. */
export const PLACEHOLDER = '<_>';

/** Extracted fields a structured line's pattern text comes from, the first present one winning. */
export const PATTERN_TEXT_FIELDS = ['msg', 'message'] as const;

/** Blanks between tokens; a line break ends the pattern text. */
const BLANK = '[\\t\\v\\f\\r ]';
const BLANKS = /[\t\v\f\r ]+/;

/** The template's tokens. */
export function templateTokens(template: string): string[] {
  return template.split(BLANKS).filter((t) => t !== '');
}

/**
 * The RE2 (and JavaScript) regex a pattern text matches when `template` describes it: anchored at
 * the start of the text and at the end of its first line, no `.` (whose line-break behaviour
 * differs between engines), and linear to run like every regex of the language.
 */
export function patternRegex(template: string): string {
  const body = templateTokens(template)
    .map((token) => token.split(PLACEHOLDER).map(escapeRegex).join('[^\\n]*'))
    .join(`${BLANK}+`);
  return `^${BLANK}*${body}${BLANK}*(?:\\n|$)`;
}

/**
 * Text every line the template fits contains as it is (the tokens' pieces between placeholders),
 * longest first, at most MAX_LITERALS of them. An engine tests them before the regex: a substring
 * search costs a fraction of a regex call, and together they rule out nearly every line that
 * does not fit.
 */
export function patternLiterals(template: string): string[] {
  const pieces = new Set<string>();
  for (const token of templateTokens(template)) for (const piece of token.split(PLACEHOLDER)) if (piece.length >= MIN_LITERAL) pieces.add(piece);
  return [...pieces].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).slice(0, MAX_LITERALS);
}

const MIN_LITERAL = 2;
const MAX_LITERALS = 4;

/**
 * What patternRegex(template) weighs on regex-check.ts's scale (checkRegex refuses its escaped
 * punctuation, which is RE2's but not JavaScript's `u` syntax): its literal characters, and a
 * class for each placeholder and each run of blanks.
 */
export function patternWeight(template: string): number {
  const tokens = templateTokens(template);
  const placeholders = tokens.reduce((n, t) => n + t.split(PLACEHOLDER).length - 1, 0);
  const literal = tokens.reduce((n, t) => n + t.length, 0) - placeholders * PLACEHOLDER.length;
  return literal * REGEX_WEIGHT.literal + (placeholders + tokens.length + 2) * REGEX_WEIGHT.negated;
}
