import { describe, expect, it } from 'vitest';
import { levelFromJsonHead, levelFromRecord, levelFromText, levelFromValue, PLAIN_PREFIX_CHARS, type Level } from './extract-level';

describe('levelFromValue', () => {
  const rows: Array<[unknown, Level]> = [
    ['info', 'info'], ['INFO', 'info'], ['Information', 'info'], ['notice', 'info'], ['I', 'info'],
    ['WARNING', 'warn'], ['wrn', 'warn'], ['w', 'warn'],
    ['ERR', 'error'], ['eror', 'error'], ['SEVERE', 'error'], ['DPANIC', 'error'], ['E', 'error'],
    ['CRITICAL', 'fatal'], ['crit', 'fatal'], ['PANIC', 'fatal'], ['FATAL', 'fatal'], ['emergency', 'fatal'], ['alert', 'fatal'],
    ['debug', 'debug'], ['DBG', 'debug'], ['trace', 'trace'], ['verbose', 'trace'],
    [' Warn ', 'warn'], ['30', 'info'],
    [10, 'trace'], [20, 'debug'], [30, 'info'], [35, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], [69, 'fatal'],
    [0, 'unknown'], [3, 'unknown'], [9, 'unknown'], [70, 'unknown'], [NaN, 'unknown'], [-10, 'unknown'],
    ['DEFAULT', 'unknown'], ['', 'unknown'], ['an error occurred in the', 'unknown'], [null, 'unknown'],
    [true, 'unknown'], [{ level: 'error' }, 'unknown'], [['error'], 'unknown'],
  ];
  for (const [value, level] of rows) {
    it(`${JSON.stringify(value) ?? String(value)} → ${level}`, () => expect(levelFromValue(value)).toBe(level));
  }
});

describe('levelFromRecord', () => {
  it('prefers level over severity, and skips a key that names no level', () => {
    expect(levelFromRecord({ level: 'info', severity: 'error' })).toBe('info');
    expect(levelFromRecord({ level: 'custom', severity: 'error' })).toBe('error');
  });
  it("reads Serilog's compact JSON, where a line without @l is Information", () => {
    expect(levelFromRecord({ '@t': '2026-12-07T08:00:00Z', '@l': 'Error', '@mt': 'failed for {User}' })).toBe('error');
    expect(levelFromRecord({ '@t': '2026-12-07T08:00:00Z', '@mt': 'done' })).toBe('info');
    expect(levelFromRecord({ '@l': 'Warning', '@m': 'slow' })).toBe('warn');
  });
  it('reads a nested log.level (ECS)', () => {
    expect(levelFromRecord({ log: { level: 'warn' } })).toBe('warn');
    expect(levelFromRecord({ log: 'warn' })).toBe('unknown');
  });
});

describe('levelFromJsonHead', () => {
  it('finds a string or numeric level in the head', () => {
    expect(levelFromJsonHead('{"time":1, "level" : "WARN", "stack":"...')).toBe('warn');
    expect(levelFromJsonHead('{"level":50,"stack":"...')).toBe('error');
    expect(levelFromJsonHead('{"severity":"boom","lvl":"debug"')).toBe('debug');
  });
  it('does not look past the head', () => {
    expect(levelFromJsonHead(`{"stack":"${'x'.repeat(4096)}","level":"error"}`)).toBe('unknown');
  });
});

describe('levelFromText', () => {
  const rows: Array<[string, Level]> = [
    ['ERROR:root:failed', 'error'],
    ['INFO:     Uvicorn running on http://0.0.0.0:8000', 'info'],
    ['2026-11-25T12:00:00.123Z  INFO 1 --- [main] o.s.b.Application : Started', 'info'],
    ['<warn> something', 'warn'],
    ['  \t[Warning] trimmed', 'warn'],
    ['level: debug', 'debug'],
    ['severity=notice x', 'info'],
    ['I1125 12:00', 'info'],
    ['I1125x12:00', 'unknown'],
    ['X1125 12:00:00.1 klog letter is not a level', 'unknown'],
    ['I am fine', 'unknown'],
    ['Traceback (most recent call last):', 'error'],
    ['  File "app.py", line 3, in <module>', 'unknown'],
    ['org.springframework.beans.factory.BeanCreationException: Error creating bean', 'error'],
    ['com.example.NotAnException thing', 'unknown'],
    ['Пользователь error', 'unknown'],
    ['informal chat', 'unknown'],
    // Celery's default format: the level, then a slash and the process, inside the brackets.
    ['[2026-12-07 00:48:19,367: INFO/MainProcess] Task ledger.tasks.send succeeded', 'info'],
    ['[2026-12-07 00:48:19,367: WARNING/ForkPoolWorker-2] Retry in 5s', 'warn'],
    ['error/handler.go:42: all fine', 'unknown'],
    // After a slash is a path's part, not a level: only the word before one counts.
    ['[GET /debug/pprof] 200', 'unknown'],
    ['[handler/error] retrying', 'unknown'],
    // PostgreSQL's LOG is its informational level; only as it writes it, upper case.
    ['2026-12-07 00:48:13.343 UTC [25362] LOG:  connection authorized: user=app', 'info'],
    ['Log rotated', 'unknown'],
  ];
  for (const [message, level] of rows) {
    it(message, () => expect(levelFromText(message)).toBe(level));
  }
  it(`reads only the first ${PLAIN_PREFIX_CHARS} chars after leading space`, () => {
    expect(levelFromText(`${' '.repeat(1000)}2026-11-25 12:00:00 ERROR x`)).toBe('error');
    expect(levelFromText(`[${'t'.repeat(PLAIN_PREFIX_CHARS)}] ERROR x`)).toBe('unknown');
  });
});
