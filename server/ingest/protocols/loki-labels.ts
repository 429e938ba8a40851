// Loki's push protocol sends a stream's labels as text in the Prometheus selector form,
// `{namespace="shop", pod="web-1"}`, values being Go string literals. This reads that form.
import { BadRequestError } from '../../errors';

const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };

export function parseLabels(text: string, where: string): Map<string, string> {
  const fail = (at: number, detail: string) =>
    new BadRequestError(`${where}: the labels ${JSON.stringify(text.slice(0, 200))} are not a label set, at character ${at}: ${detail}`, 'invalid_labels');
  const labels = new Map<string, string>();
  let i = 0;
  const blanks = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n')) i++;
  };
  blanks();
  if (text[i] !== '{') throw fail(i, 'expected {');
  i++;
  blanks();
  while (text[i] !== '}') {
    if (i >= text.length) throw fail(i, 'expected }');
    const start = i;
    if (!NAME_START.test(text[i] ?? '')) throw fail(i, 'expected a label name');
    while (i < text.length && NAME_PART.test(text[i])) i++;
    const name = text.slice(start, i);
    blanks();
    if (text[i] !== '=') throw fail(i, 'expected =');
    i++;
    blanks();
    const quote = text[i];
    if (quote !== '"' && quote !== '`') throw fail(i, 'expected a quoted value');
    i++;
    let value = '';
    for (;;) {
      if (i >= text.length) throw fail(i, 'the value is not closed');
      const c = text[i++];
      if (c === quote) break;
      if (c === '\\' && quote === '"') {
        const e = text[i++];
        if (e === 'u' || e === 'U' || e === 'x') {
          const digits = e === 'u' ? 4 : e === 'U' ? 8 : 2;
          const hex = text.slice(i, i + digits);
          const code = parseInt(hex, 16);
          if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits || code > 0x10ffff) throw fail(i, `\\${e} needs ${digits} hex digits`);
          value += String.fromCodePoint(code);
          i += digits;
        } else if (e !== undefined && e >= '0' && e <= '7') {
          const octal = text.slice(i - 1, i + 2);
          if (!/^[0-7]{3}$/.test(octal)) throw fail(i - 1, 'an octal escape needs 3 digits');
          value += String.fromCharCode(parseInt(octal, 8));
          i += 2;
        } else if (e !== undefined && Object.hasOwn(ESCAPES, e)) value += ESCAPES[e];
        else throw fail(i - 1, `unknown escape \\${e ?? ''}`);
      } else value += c;
    }
    if (labels.has(name)) throw fail(start, `the label ${name} is given twice`);
    labels.set(name, value);
    blanks();
    if (text[i] === ',') {
      i++;
      blanks();
    } else if (text[i] !== '}') throw fail(i, 'expected , or }');
  }
  i++;
  blanks();
  if (i !== text.length) throw fail(i, 'text after }');
  return labels;
}
