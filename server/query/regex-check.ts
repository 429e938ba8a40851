// What DuckDB's RE2 will refuse, found before the query runs: a refusal at run time is an engine
// error deep in a read, and a pattern RE2 accepts may still cost megabytes per statement.
//
// Measured on DuckDB 1.5 (RE2 with its default 8 MiB budget): the largest count of each atom one
// pattern may hold before "pattern too large" — literal 200,000+, `.` 58,249, `\w` 139,798,
// `\W` 38,832, `[^a]` 58,249, `\p{Greek}` 7,060, `\pN` 1,980, `\p{Lu}` 788, `\P{L}` 463,
// `\p{L}` 448. The weights below are 200,000 divided by those counts, rounded up and taken at the
// worst of a kind; counts multiply through nested repetitions and alternatives add up. RE2 also
// refuses nested repetition counts whose product passes 1000 ("invalid repetition size") and the
// general categories Cn and LC.
import { MAX_REGEX_WEIGHT } from './limits';

/** Largest counted repetition RE2 accepts, alone or multiplied through nesting. */
export const RE2_MAX_REPEAT = 1000;

/** RE2's Unicode general categories (its unicode_groups table) that JavaScript also accepts. */
const UNICODE_CLASSES = new Set(
  'Any C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(' '),
);

export const REGEX_WEIGHT = {
  literal: 1,
  /** `.`, `\w`, `\s`, `\d`: the worst is `.` under case folding. */
  perl: 4,
  /** `\W`, `\S`, `\D` and any bracketed class without `\p`. */
  negated: 6,
  /** Any `\p{…}` or `\P{…}`: `\p{L}` is the worst. */
  unicode: 450,
};

export type RegexCheck = { problem: string } | { weight: number };

/**
 * Whether `pattern` runs on DuckDB's RE2, and its weight (on the scale of MAX_REGEX_WEIGHT) when
 * it does. Conservative: it must be a valid JavaScript `u` regex, and must avoid what JavaScript
 * accepts but RE2 lacks — lookaround, backreferences, `(?<name>…)`, `\u`, `\c`, `\k`, `[\b]`,
 * `[]`, `[^]`, POSIX `[:…:]`, Unicode names RE2 does not know — and stay within RE2's sizes.
 */
export function checkRegex(pattern: string): RegexCheck {
  try {
    new RegExp(pattern, 'u');
  } catch {
    return { problem: 'not a valid regular expression' };
  }
  if (/\(\?(=|!|<)/.test(pattern.replace(/\\./gs, '__'))) return { problem: 'lookaround and named groups are not supported' };
  // A stack of groups: `total` is the summed weight of their items so far, `last` the weight of the
  // last item, `repeat` the largest product of counted repetitions inside the last item / the group.
  type Group = { total: number; last: number; lastRepeat: number; repeat: number };
  const fresh = (): Group => ({ total: 0, last: 0, lastRepeat: 1, repeat: 1 });
  const stack: Group[] = [];
  let cur = fresh();
  const add = (weight: number, repeat = 1) => {
    cur.total += weight;
    cur.last = weight;
    cur.lastRepeat = repeat;
    cur.repeat = Math.max(cur.repeat, repeat);
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next)) return { problem: 'backreferences are not supported' };
      if (/[uck]/.test(next)) return { problem: `\\${next} is not supported` };
      i += 1;
      if (next === 'p' || next === 'P') {
        const name = unicodeName(pattern, i + 1);
        if (name.problem) return { problem: name.problem };
        i += name.length;
        add(REGEX_WEIGHT.unicode);
      } else {
        add(/[WSD]/.test(next) ? REGEX_WEIGHT.negated : /[wsd]/.test(next) ? REGEX_WEIGHT.perl : REGEX_WEIGHT.literal);
      }
    } else if (c === '[') {
      if (pattern.startsWith('[]', i) || pattern.startsWith('[^]', i)) return { problem: 'empty character class' };
      let weight = 0;
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '\\') {
          const next = pattern[j + 1] ?? '';
          if (/[0-9bBuck]/.test(next)) return { problem: `\\${next} in a character class is not supported` };
          j += 1;
          if (next === 'p' || next === 'P') {
            const name = unicodeName(pattern, j + 1);
            if (name.problem) return { problem: name.problem };
            j += name.length;
            weight += REGEX_WEIGHT.unicode;
          }
        } else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          return { problem: 'POSIX classes are not supported' };
        }
      }
      i = j;
      add(Math.max(weight, REGEX_WEIGHT.negated));
    } else if (c === '(') {
      stack.push(cur);
      cur = fresh();
      if (pattern.startsWith('(?:', i)) i += 2;
    } else if (c === ')') {
      const group = cur;
      cur = stack.pop() ?? fresh();
      add(Math.max(1, group.total), group.repeat);
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (!m) {
        add(REGEX_WEIGHT.literal);
        continue;
      }
      const lo = Number(m[1]);
      const hi = m[3] === undefined ? lo : m[3] === '' ? lo + 1 : Number(m[3]);
      if (lo > RE2_MAX_REPEAT || hi > RE2_MAX_REPEAT) return { problem: `repetition count over ${RE2_MAX_REPEAT}` };
      const times = Math.max(1, hi);
      // RE2 multiplies the largest count (or the least, when unbounded) through nesting.
      const repeat = cur.lastRepeat * Math.max(1, m[3] === '' ? lo : hi);
      if (repeat > RE2_MAX_REPEAT) return { problem: `nested repetition counts multiply past ${RE2_MAX_REPEAT}` };
      cur.total += cur.last * (times - 1);
      cur.last *= times;
      cur.lastRepeat = repeat;
      cur.repeat = Math.max(cur.repeat, repeat);
      i += m[0].length - 1;
    } else if (c === '.') {
      add(REGEX_WEIGHT.perl);
    } else if (c === '*' || c === '+' || c === '?' || c === '|' || c === '^' || c === '$') {
      // no weight of their own
    } else {
      add(REGEX_WEIGHT.literal);
    }
    if (cur.total > MAX_REGEX_WEIGHT) return { problem: 'pattern too large' };
  }
  return { weight: Math.max(1, cur.total) };
}

/** The problem with the regex, or null when RE2 runs it. */
export function regexProblem(pattern: string): string | null {
  const check = checkRegex(pattern);
  return 'problem' in check ? check.problem : null;
}

/** Reads `{Name}` after `\p` at `at` (JavaScript's `u` mode requires the braces): its length, or why RE2 lacks it. */
function unicodeName(pattern: string, at: number): { length: number; problem?: string } {
  const m = /^\{([^}]*)\}/.exec(pattern.slice(at));
  if (!m) return { length: 0, problem: 'unsupported Unicode class' };
  if (!UNICODE_CLASSES.has(m[1])) return { length: m[0].length, problem: `unsupported Unicode class \\p{${m[1]}}` };
  return { length: m[0].length };
}
