// How large a query may be (README, "Query limits"). Every term is a predicate DuckDB evaluates on
// every row it reads, and the query timeout can only stop a statement between chunks of 2,048
// rows: a chunk must stay cheap whatever the query. Measured over 100,000 short lines (2 threads):
// 100 ORed words 2.1 s, 1,000 of them 21 s, 1,000 ORed wildcards 74 s; an 8,000-term query
// overshot a 10 s timeout by 7.7 s.

/** Longer queries are refused: nobody types them. */
export const MAX_QUERY_CHARS = 16 * 1024;

/** Terms (words, phrases, field:value, ranges, regexes) in one query. */
export const MAX_TERMS = 256;

/** Parentheses and negations inside each other; the parser recurses, and a hostile query must not blow the stack. */
export const MAX_NESTING = 100;

/**
 * Summed weight of every regular expression a query compiles to, its own and those its wildcards
 * become, on the scale of regex-check.ts: 75% of what RE2 compiles in its 8 MiB budget, for the
 * whole query, so a query holds at most about one such program in memory.
 */
export const MAX_REGEX_WEIGHT = 150_000;

/**
 * Range bounds are bound as DuckDB BIGINT when whole, so their magnitude must stay below 2^63;
 * nobody compares a field with a larger number.
 */
export const MAX_RANGE_NUMBER = 2 ** 63;
