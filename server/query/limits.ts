// How large a query may be (README, "Query limits").

/**
 * Summed weight of every regular expression a query holds, on the scale of regex-check.ts: 75% of
 * what RE2 compiles in its 8 MiB budget, for the whole query, so a query holds at most about one
 * such program in memory. (Wildcards compile to regexes too, but a query's length bounds theirs
 * far below this.)
 */
export const MAX_REGEX_WEIGHT = 150_000;
