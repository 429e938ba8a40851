import { describe, expect, it } from 'vitest';
import { CONTAINER_KINDS, EventGenerator, generateRecords, type ContainerKind, type LogRecord, type SpanOptions } from './line-generator';
import { HOUR_MS, MINUTE_MS } from './schedule';

const TO = Date.UTC(2026, 10, 25, 12);
const FROM = TO - 2 * HOUR_MS;

function records(kind: ContainerKind, overrides: Partial<SpanOptions> = {}): LogRecord[] {
  return [...generateRecords({ kind, service: 'checkout', namespace: 'shop', seed: 7, from: FROM, to: TO, count: 3000, ...overrides })];
}

/** What a reader recognises each line as; a line may be none of these (e.g. a postgres DETAIL). */
const SHAPES: Record<string, RegExp> = {
  json: /^\{"level":"(debug|info|warn|error)","time":"2026-11-25T\d\d:\d\d:\d\d\.\d{3}Z",/,
  logfmt: /^time=2026-11-25T\S+ level=(debug|info|warn|error|DEBUG|INFO|WARN|ERROR) /,
  logback: /^2026-11-25 \d\d:\d\d:\d\d\.\d{3} (DEBUG|INFO |WARN |ERROR) \[[^\]]+\] \S+ - /,
  javaFrame: /^\tat [\w$.\/]+\(.*\)$/,
  javaCause: /^Caused by: [\w.]+(Exception|Error): /,
  celery: /^\[2026-11-25 \d\d:\d\d:\d\d,\d{3}: (DEBUG|INFO|WARNING|ERROR)\/[\w-]+\] /,
  pythonTraceback: /^Traceback \(most recent call last\):$/,
  klog: /^[IWE]1125 \d\d:\d\d:\d\d\.\d{6} +\d+ [\w.]+:\d+\] /,
  nginxAccess: /^\S+ - - \[25\/Nov\/2026:\d\d:\d\d:\d\d \+0000\] "(GET|POST|PUT|DELETE|PATCH) \S+ HTTP\/2\.0" \d{3} \d+ /,
  envoyAccess: /^\[2026-11-25T\S+Z\] "(GET|POST|PUT|DELETE|PATCH) \S+ HTTP\/1\.1" \d{3} /,
  coredns: /^\[(INFO|WARNING|ERROR)\] /,
  postgres: /^2026-11-25 \d\d:\d\d:\d\d\.\d{3} UTC \[\d+\] (LOG|WARNING|ERROR|FATAL|DETAIL|STATEMENT): {2}/,
};

function shapesOf(recs: readonly LogRecord[]): Set<string> {
  const found = new Set<string>();
  for (const r of recs) for (const [name, re] of Object.entries(SHAPES)) if (re.test(r.text)) found.add(name);
  return found;
}

describe('generateRecords', () => {
  it('is deterministic for a seed, and another seed gives other lines', () => {
    const a = records('web-json');
    expect(records('web-json')).toEqual(a);
    const b = records('web-json', { seed: 8 });
    expect(b.map((r) => r.text)).not.toEqual(a.map((r) => r.text));
  });

  it.each(CONTAINER_KINDS)('%s: writes exactly count one-line records in time order within the span', (kind) => {
    const recs = records(kind);
    expect(recs).toHaveLength(3000);
    for (let i = 1; i < recs.length; i++) {
      const [p, r] = [recs[i - 1], recs[i]];
      expect(r.ts > p.ts || (r.ts === p.ts && r.nanos >= p.nanos)).toBe(true);
    }
    expect(recs[0].ts).toBeGreaterThanOrEqual(FROM);
    // The later lines of a trace may follow their event by microseconds.
    expect(recs[recs.length - 1].ts).toBeLessThanOrEqual(TO + 1);
    expect(recs.every((r) => !r.text.includes('\n') && r.nanos >= 0 && r.nanos < 1e6 && Number.isInteger(r.ts))).toBe(true);
  });

  it.each<[ContainerKind, string[]]>([
    ['web-json', ['json']],
    ['go-logfmt', ['logfmt']],
    ['java', ['logback', 'javaFrame', 'javaCause']],
    ['python-worker', ['celery', 'pythonTraceback']],
    ['nginx-ingress', ['nginxAccess', 'klog']],
    ['envoy', ['envoyAccess']],
    ['klog', ['klog']],
    ['coredns', ['coredns']],
    ['postgres', ['postgres']],
    ['prometheus', ['logfmt']],
  ])('%s writes its format: %s', (kind, shapes) => {
    const found = shapesOf(records(kind));
    for (const shape of shapes) expect(found).toContain(shape);
  });

  it("pads klog's thread id to seven columns, as klog does", () => {
    expect(records('klog').filter((r) => r.text.startsWith('I'))[0].text).toMatch(/^I1125 \d\d:\d\d:\d\d\.\d{6} {7}1 \w+\.go:\d+\] /);
  });

  it('writes JSON a field extractor can read, with nested user.id', () => {
    const parsed = records('web-json')
      .filter((r) => r.text.startsWith('{'))
      .map((r) => JSON.parse(r.text) as { level: string; status?: number; latency_ms?: number; user?: { id: number } });
    expect(parsed.length).toBeGreaterThan(2900);
    const requests = parsed.filter((p) => p.status !== undefined);
    expect(requests.length).toBeGreaterThan(1000);
    expect(requests.every((p) => typeof p.latency_ms === 'number' && Number.isInteger(p.user?.id))).toBe(true);
  });

  it('mixes levels: mostly info, some debug and warn, a few errors', () => {
    const levels = new Map<string, number>();
    for (const r of records('web-json', { count: 10_000 })) {
      const level = /"level":"(\w+)"/.exec(r.text)?.[1] ?? 'other';
      levels.set(level, (levels.get(level) ?? 0) + 1);
    }
    expect(levels.get('info')!).toBeGreaterThan(7000);
    for (const level of ['debug', 'warn', 'error']) expect(levels.get(level) ?? 0).toBeGreaterThan(20);
    expect(levels.get('error')!).toBeLessThan(500);
  });

  it('writes a stack trace as consecutive lines right after its error line', () => {
    const recs = records('java');
    const at = recs.findIndex((r) => SHAPES.javaFrame.test(r.text));
    expect(at).toBeGreaterThan(1);
    expect(recs[at - 1].text).toMatch(/Exception|Error/);
    expect(recs[at - 2].text).toMatch(/ ERROR \[/);
    // One event, so the lines are microseconds apart, not seconds.
    expect(recs[at].ts - recs[at - 2].ts).toBeLessThan(2);
  });

  it('crowds a burst with errors', () => {
    const burst = { from: FROM + 30 * MINUTE_MS, to: FROM + 35 * MINUTE_MS };
    const recs = records('go-logfmt', { bursts: [burst] });
    const inside = recs.filter((r) => r.ts >= burst.from && r.ts <= burst.to);
    const outside = recs.filter((r) => r.ts < burst.from || r.ts > burst.to);
    const errorShare = (rs: LogRecord[]) => rs.filter((r) => r.text.includes('level=error')).length / rs.length;
    // Five minutes of 120 would hold about 4% of lines without the burst.
    expect(inside.length / recs.length).toBeGreaterThan(0.15);
    expect(errorShare(inside)).toBeGreaterThan(0.4);
    expect(errorShare(outside)).toBeLessThan(0.06);
  });

  it('follows a day-like rhythm: the afternoon is busier than the night', () => {
    const day = records('envoy', { from: TO - 24 * HOUR_MS, to: TO, count: 24_000 });
    const hourOf = (r: LogRecord) => new Date(r.ts).getUTCHours();
    const at = (h: number) => day.filter((r) => hourOf(r) === h).length;
    expect(at(14)).toBeGreaterThan(2.5 * at(2));
  });

  it('writes rare 20–40 KB lines, which a runtime must split', () => {
    const recs = records('web-json', { count: 5, longLineRate: 1 });
    for (const r of recs) {
      expect(r.text.length).toBeGreaterThanOrEqual(20_000);
      expect(r.text.length).toBeLessThanOrEqual(40_500);
      expect(() => JSON.parse(r.text)).not.toThrow();
    }
  });
});

describe('EventGenerator', () => {
  it('never writes before a line already in the file', () => {
    const events = new EventGenerator({ kind: 'klog', service: 'kube-proxy', namespace: 'kube-system', seed: 1, after: { ts: TO, nanos: 500 } });
    const [first] = events.event(TO - 60_000);
    expect(first.ts > TO || (first.ts === TO && first.nanos > 500)).toBe(true);
    const [second] = events.event(TO + 5.25);
    expect(second).toMatchObject({ ts: TO + 5, nanos: 250_000 });
  });
});
