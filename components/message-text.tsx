// How a message reads in a row: a JSON or logfmt line leads with its message field (`msg`,
// `message`, `log`) and shows the rest as dimmed key=value; matches are marked. The raw line is
// in the row's details.
import type { ReactNode } from 'react';
import { mayBeCut } from '@/common/field-value';
import type { Hit } from '@/common/read-api';

/** Fields that hold the message of a structured line, most common first. */
const MESSAGE_KEYS = ['msg', 'message', 'log', 'Message', 'MESSAGE', 'M', '@m', '@mt'];
/** Fields the row shows elsewhere (time column, level badge). */
const SHOWN_ELSEWHERE = new Set(['level', 'lvl', 'severity', 'time', 'ts', 'timestamp', '@timestamp', 'T', 'L', '@t', '@l']);

export interface MessageParts {
  /** The message field's value, or the whole line when it is not structured. */
  text: string;
  /** The other fields, in the line's order. */
  pairs: { key: string; value: string }[];
}

export function messageParts(hit: Hit): MessageParts {
  const line = hit.message;
  const structured = line.startsWith('{') || /^\w[\w.@-]*=/.test(line);
  const key = structured ? MESSAGE_KEYS.find((k) => typeof hit.fields[k] === 'string') : undefined;
  if (key === undefined) return { text: line, pairs: [] };
  const pairs = Object.entries(hit.fields)
    .filter(([k]) => k !== key && !SHOWN_ELSEWHERE.has(k))
    .map(([k, v]) => ({ key: k, value: typeof v === 'string' ? v : JSON.stringify(v) }));
  const text = hit.fields[key] as string;
  // Fields are stored cut at ingest; a long message or value read from them would end mid-way
  // with nothing to say so, and a match past the cut would go unmarked: the whole line instead.
  if (mayBeCut(text) || pairs.some((p) => mayBeCut(p.value))) return { text: line, pairs: [] };
  return { text, pairs };
}

export function MessageText({ parts, terms }: { parts: MessageParts; terms: string[] }) {
  return (
    <>
      {highlight(parts.text, terms)}
      {parts.pairs.map(({ key, value }) => (
        <span key={key} className="kv">
          {' '}
          {key}={highlight(value, terms)}
        </span>
      ))}
    </>
  );
}

/** The text with each case-insensitive occurrence of a term in a <mark>, as React text nodes. */
export function highlight(text: string, terms: string[]): ReactNode {
  const wanted = terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  if (wanted.length === 0) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let length = 0;
    for (const term of wanted) {
      const i = lower.indexOf(term, at);
      if (i !== -1 && (best === -1 || i < best || (i === best && term.length > length))) {
        best = i;
        length = term.length;
      }
    }
    if (best === -1) break;
    if (best > at) out.push(text.slice(at, best));
    out.push(<mark key={best}>{text.slice(best, best + length)}</mark>);
    at = best + length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
