'use client';
// Find in the loaded results: searches every loaded line (also the cut tail of a long one and
// lines of collapsed detail the browser's Ctrl+F cannot see, and rows a virtualized table would not
// render), counts the matches and steps through them (Enter, Shift+Enter), bringing each into
// view. Ctrl+F / ⌘F opens it.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Hit } from '@/common/read-api';
import { messageParts } from './message-text';

interface Props {
  hits: Hit[];
  /** Scrolls the row with this id into view and marks it, and in it the text found. */
  onCurrent: (id: string | null, text: string) => void;
  /** The text and match of a find the table had before it was away (on the Patterns tab). */
  initial?: { text: string; current: string | null };
}

/** A structured line as its row reads (message-text.tsx): what the reader sees is what they type. */
function shownText(hit: Hit): string {
  const { text, pairs } = messageParts(hit);
  return pairs.length === 0 ? text : `${text} ${pairs.map(({ key, value }) => `${key}=${value}`).join(' ')}`;
}

export function FindInResults({ hits, onCurrent, initial }: Props) {
  const [text, setText] = useState(initial?.text ?? '');
  // The current match by id, not by place: lines tailed or loaded meanwhile move the places,
  // and the match shown must stay the one the reader stepped to.
  const [current, setCurrent] = useState<string | null>(initial?.current ?? null);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => {
    const needle = text.toLowerCase();
    return needle ? hits.filter((h) => h.message.toLowerCase().includes(needle) || shownText(h).toLowerCase().includes(needle)).map((h) => h.id) : [];
  }, [hits, text]);

  useEffect(() => {
    const open = (e: KeyboardEvent) => {
      // Behind a modal dialog the page's own find would focus nothing: the browser's is left to work.
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f' && !document.querySelector('[aria-modal="true"]')) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener('keydown', open);
    return () => window.removeEventListener('keydown', open);
  }, []);
  // A match gone from the loaded lines (a new search) gives way to the first one.
  const index = Math.max(0, current === null ? 0 : matches.indexOf(current));
  const shown = matches.length > 0 ? matches[index] : null;
  useEffect(() => {
    onCurrent(shown, text);
  }, [shown, text, onCurrent]);

  return (
    <div className="find" role="search" aria-label="Find in results">
      <input
        ref={input}
        aria-label="Find in results"
        data-testid="find"
        placeholder="Find in results (Ctrl+F)"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setCurrent(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches.length > 0) {
            e.preventDefault();
            setCurrent(matches[e.shiftKey ? (index - 1 + matches.length) % matches.length : (index + 1) % matches.length]);
          } else if (e.key === 'Escape') {
            setText('');
          }
        }}
      />
      {text && (
        <span className="muted small" role="status" data-testid="find-count">
          {matches.length === 0 ? 'no match in the loaded lines' : `${index + 1} of ${matches.length}`}
        </span>
      )}
    </div>
  );
}
