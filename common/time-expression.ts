// Time bounds as users write them in Kibana and Grafana: ISO 8601, epoch milliseconds, `now`, or
// `now-<n><s|m|h|d|w>`. The server reads `from`/`to` with it; the page resolves the same text to
// fixed instants when a search runs, so the table and the histogram of one search agree.

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^now(?:([+-])(\d{1,9})([smhdw]))?$/;
const EPOCH_MS = /^\d{1,15}$/;
// A date, optionally a time with fraction and zone: what Date.parse reads consistently.
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Epoch milliseconds of `text`, or undefined when it is none of the accepted forms. */
export function parseTimeExpression(text: string, now: number): number | undefined {
  const value = text.trim();
  const relative = RELATIVE.exec(value.toLowerCase());
  if (relative) {
    const [, sign, amount, unit] = relative;
    if (!sign) return now;
    const offset = Number(amount) * UNIT_MS[unit];
    return sign === '-' ? now - offset : now + offset;
  }
  if (EPOCH_MS.test(value)) return Number(value);
  if (ISO.test(value)) {
    // Without a zone an ISO time is UTC here: the server's zone must not change what a link means.
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) || !value.includes(':') ? value : `${value}Z`;
    const ms = Date.parse(zoned.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  return undefined;
}
