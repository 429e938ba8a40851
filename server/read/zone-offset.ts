// Buckets aligned to the reader's clock: a bar a day starts at their midnight, as Kibana aligns
// its date histogram to the browser's time zone, not at 00:00 UTC (19:00 in New York).

/** The UTC offset of IANA zone `zone` at `atMs`, in ms (east of UTC positive). Throws RangeError for an unknown zone. */
export function zoneOffsetMs(zone: string, atMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(atMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

/**
 * The start of the bucket holding `fromUs`, buckets of `intervalUs` counted from midnight in a zone
 * `offsetUs` east of UTC. One offset for the whole range (the zone's at its end): across a change
 * of daylight saving time, the bars before it sit an hour off the reader's midnight.
 */
export function alignedOrigin(fromUs: bigint, intervalUs: bigint, offsetUs: bigint): bigint {
  const local = fromUs + offsetUs;
  const floored = local - (((local % intervalUs) + intervalUs) % intervalUs);
  return floored - offsetUs;
}
