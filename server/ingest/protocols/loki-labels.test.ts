import { describe, expect, it } from 'vitest';
import { parseLabels } from './loki-labels';

describe('parseLabels', () => {
  it('reads the selector form shippers send, with Go escapes', () => {
    expect([...parseLabels('{namespace="shop", pod="web-1",msg="say \\"hi\\"\\n\\\\ \\u00e9"}', 'x')]).toEqual([
      ['namespace', 'shop'],
      ['pod', 'web-1'],
      ['msg', 'say "hi"\n\\ é'],
    ]);
    expect([...parseLabels(' { } ', 'x')]).toEqual([]);
    expect([...parseLabels('{a=`raw \\n`}', 'x')]).toEqual([['a', 'raw \\n']]);
    // What Go's strconv.Quote writes outside the BMP and for bytes: \U and octal.
    expect([...parseLabels('{a="\\U0001F600 \\101"}', 'x')]).toEqual([['a', '😀 A']]);
  });

  it.each([
    ['namespace="shop"', 'at character 0: expected {'],
    ['{1a="x"}', 'at character 1: expected a label name'],
    ['{a:"x"}', 'at character 2: expected ='],
    ['{a="x"', 'at character 6: expected , or }'],
    ['{a="x}', 'the value is not closed'],
    ['{a="x" b="y"}', 'at character 7: expected , or }'],
    ['{a="x",a="y"}', 'the label a is given twice'],
    ['{a="\\q"}', 'unknown escape \\q'],
    ['{a="x"} extra', 'text after }'],
  ])('refuses %s, saying where', (text, message) => {
    expect(() => parseLabels(text, 'streams[3].labels')).toThrow(`streams[3].labels: the labels ${JSON.stringify(text)} are not a label set, ${message.startsWith('at') ? message : ''}`.replace(/, $/, ''));
  });
});
