import { describe, expect, it } from 'vitest';
import { LogParser } from './log-parser';
import { MULTILINE_WINDOW_MS } from './multiline';

const NOW = new Date('2026-03-04T05:06:07.890Z');

/** CRI lines all stamped within the same millisecond unless a second is given. */
function cri(lines: Array<string | [string, 'stdout' | 'stderr', number?]>): string {
  return lines
    .map((line) => {
      const [text, stream, second] = typeof line === 'string' ? [line, 'stdout', 5] : [line[0], line[1], line[2] ?? 5];
      return `2026-01-02T03:04:${String(second).padStart(2, '0')}.123456789Z ${stream} F ${text}\n`;
    })
    .join('');
}

function parse(text: string, options: { multiline?: boolean; maxLine?: number; chunk?: number } = {}) {
  const parser = new LogParser(options.maxLine ?? 64 * 1024, 0, { multiline: options.multiline ?? true });
  const bytes = Buffer.from(text);
  const chunk = options.chunk ?? bytes.length;
  const entries = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    entries.push(...parser.push(bytes.subarray(at, at + chunk), at, NOW).entries);
  }
  entries.push(...parser.finish(NOW).entries);
  return entries;
}

const JAVA = [
  '2026-01-02 03:04:05.123 ERROR 1 --- [nio-8080-exec-3] c.e.orders.OrderController : Request failed',
  'java.lang.IllegalStateException: price missing for sku 42',
  '\tat com.example.orders.PriceService.priceOf(PriceService.java:88)',
  '\tat com.example.orders.OrderController.confirm(OrderController.java:51)',
  'Caused by: java.lang.NullPointerException: Cannot invoke "java.math.BigDecimal.scale()"',
  '\tat com.example.orders.Money.of(Money.java:31)',
  '\t... 12 more',
];
const PYTHON = [
  '[2026-01-02 03:04:05,123: ERROR/ForkPoolWorker-2] Task ledger.tasks.settle[9f1] raised unexpected: OperationalError',
  'Traceback (most recent call last):',
  '  File "/app/ledger/tasks.py", line 41, in settle',
  '    conn = connect()',
  'psycopg2.OperationalError: connection refused',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'Traceback (most recent call last):',
  '  File "/app/ledger/tasks.py", line 44, in settle',
  '    raise RetryError()',
  'ledger.errors.RetryError',
];
const GO = [
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2f1c]',
  '',
  'goroutine 1 [running]:',
  'main.(*Server).handle(0xc000123456, {0x5c3a20, 0xc0001a2b40})',
  '\t/src/main.go:42 +0x1c',
  'created by net/http.(*Server).Serve in goroutine 1',
  '\t/usr/local/go/src/net/http/server.go:3360 +0x485',
  'exit status 2',
];

describe('multi-line stack traces', () => {
  it('joins a Java trace, its cause and "... n more" to the log line that reports it', () => {
    const entries = parse(cri([...JAVA, 'next request ok']));
    expect(entries.map((e) => e.message)).toEqual([JAVA.join('\n'), 'next request ok']);
    expect(entries[0].offset).toBe(0);
    expect(entries[0].ts).toBe('2026-01-02T03:04:05.123456789Z');
  });

  it('joins a Python traceback, chained tracebacks included, and ends it at the next log line', () => {
    const entries = parse(cri([...PYTHON, '[2026-01-02 03:04:06,000: INFO/MainProcess] Task received']));
    expect(entries.map((e) => e.message)).toEqual([PYTHON.join('\n'), '[2026-01-02 03:04:06,000: INFO/MainProcess] Task received']);
  });

  it('joins a Go panic with its goroutines', () => {
    const entries = parse(cri([...GO, 'level=info msg="restarted"']));
    expect(entries.map((e) => e.message)).toEqual([GO.join('\n'), 'level=info msg="restarted"']);
  });

  it('joins lines of one stream only, keeps the other in order of first byte, and resumes safely', () => {
    const text = cri([
      [JAVA[0], 'stdout'],
      ['a stderr line written in between', 'stderr'],
      [JAVA[1], 'stdout'],
      [JAVA[2], 'stdout'],
      ['after', 'stdout'],
    ]);
    const entries = parse(text);
    expect(entries.map((e) => [e.stream, e.message])).toEqual([
      ['stdout', JAVA.slice(0, 3).join('\n')],
      ['stderr', 'a stderr line written in between'],
      ['stdout', 'after'],
    ]);
    // A restart after only the trace was acknowledged must read the stderr line again.
    expect(entries[0].resume).toBe(entries[1].offset);
  });

  it('leaves ordinary lines, indented ones included, as they are', () => {
    const lines = ['GET /healthz 200', '  indented but not a frame', 'java is fine', 'at noon', '', 'done'];
    expect(parse(cri(lines)).map((e) => e.message)).toEqual(lines);
  });

  it('does not join a frame written long after the line before it', () => {
    const entries = parse(cri([[JAVA[1], 'stdout', 5], [JAVA[2], 'stdout', 9]]));
    expect(entries.map((e) => e.message)).toEqual([JAVA[1], JAVA[2]]);
  });

  it('joins a trace split across reads, and holds its head until the window has passed', () => {
    const parser = new LogParser(64 * 1024, 0, { multiline: true });
    const first = Buffer.from(cri(JAVA.slice(0, 2)));
    const rest = Buffer.from(cri(JAVA.slice(2)));
    expect(parser.push(first, 0, NOW).entries).toEqual([]);
    expect(parser.push(rest, first.length, new Date(NOW.getTime() + 100)).entries).toEqual([]);
    const later = new Date(NOW.getTime() + 100 + MULTILINE_WINDOW_MS);
    expect(parser.closeStale(new Date(later.getTime() - 1), 5_000)).toEqual([]);
    const [entry] = parser.closeStale(later, 5_000);
    expect(entry.message).toBe(JAVA.join('\n'));
    expect(entry.resume).toBe(first.length + rest.length);
  });

  it('gives up on a trace head on one stream while the other keeps writing', () => {
    const parser = new LogParser(64 * 1024, 0, { multiline: true });
    const head = Buffer.from(cri([[JAVA[0], 'stderr']]));
    expect(parser.push(head, 0, NOW).entries).toEqual([]);
    const busy = Buffer.from(cri([['busy 1', 'stdout'], ['busy 2', 'stdout']]));
    const out = parser.push(busy, head.length, new Date(NOW.getTime() + MULTILINE_WINDOW_MS + 1)).entries;
    expect(out.map((e) => e.message)).toEqual([JAVA[0], 'busy 1']);
  });

  it('stops waiting for a trace at the end of a read when the other stream has lines behind it', () => {
    const parser = new LogParser(64 * 1024, 0, { multiline: true });
    const head = Buffer.from(cri([[JAVA[0], 'stderr']]));
    expect(parser.push(head, 0, NOW).entries).toEqual([]);
    // Within the window, but the stdout line would wait behind the trace for as long as it lasts.
    const other = Buffer.from(cri([['busy 1', 'stdout'], [JAVA[1], 'stderr'], ['busy 2', 'stdout']]));
    const out = parser.push(other, head.length, new Date(NOW.getTime() + 10)).entries;
    expect(out.map((e) => [e.stream, e.message])).toEqual([
      ['stderr', JAVA.slice(0, 2).join('\n')],
      ['stdout', 'busy 1'],
    ]);
  });

  it('caps a joined trace at the max line size, flags it, and swallows the rest of the trace', () => {
    const frames = Array.from({ length: 200 }, (_, i) => `\tat com.example.Deep.call${i}(Deep.java:${i})`);
    const entries = parse(cri([JAVA[1], ...frames, 'next']), { maxLine: 2048 });
    expect(entries.map((e) => e.message.split('\n')[0])).toEqual([JAVA[1], 'next']);
    expect(Buffer.byteLength(entries[0].message)).toBeLessThanOrEqual(2048);
    expect(entries[0].truncated).toBe(true);
  });

  it('reads the same trace the same way in 7-byte chunks', () => {
    const text = cri([...JAVA, ...PYTHON, ...GO, 'end']);
    expect(parse(text, { chunk: 7 })).toEqual(parse(text));
  });

  it('keeps every line its own entry when switched off', () => {
    expect(parse(cri(JAVA), { multiline: false })).toHaveLength(JAVA.length);
  });
});
