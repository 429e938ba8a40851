// What the table (and the Patterns tab) suggest when nothing matches, as Kibana's empty state
// does: only what would widen this search — a longer range, fewer terms, a filter turned off.

/** Past this span a wider range is unlikely to be what is missing. */
const WIDE_RANGE_MS = 30 * 24 * 3_600_000;

export interface NoMatchSearch {
  spanMs: number;
  /** Whether the typed query has any text. */
  typed: boolean;
  /** How many filter pills are on. */
  filtersOn: number;
}

/** "Try a wider time range, fewer terms or turning off a filter.", or '' when none applies. */
export function noMatchAdvice({ spanMs, typed, filtersOn }: NoMatchSearch): string {
  const tries = [
    ...(spanMs < WIDE_RANGE_MS ? ['a wider time range'] : []),
    ...(typed ? ['fewer terms'] : []),
    ...(filtersOn > 0 ? [filtersOn === 1 ? 'turning off the filter' : 'turning off a filter'] : []),
  ];
  if (tries.length === 0) return '';
  const last = tries.pop()!;
  return `Try ${tries.length > 0 ? `${tries.join(', ')} or ${last}` : last}.`;
}
