'use client';
// The query box. Enter searches, as in Kibana and Grafana: a suggestion is taken only once the user
// has moved into the list (↑ ↓, then Enter) or pressed Tab, and a list computed for older text is
// never applied to newer text. `/` anywhere on the page focuses the box; Esc closes the list. A
// syntax error keeps the text and marks the position the server named.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type KeyboardEvent, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import type { Suggestion } from '@/common/read-api';
import { suggestOptions } from './queries';
import { useQueryHistory } from './query-history';

/** The query box's id: where the focus goes when what had it is gone (the last filter deleted). */
export const SEARCH_INPUT_ID = 'search-query';

interface Props {
  value: string;
  onSubmit: (q: string) => void;
  range: { fromMs: number; toMs: number } | null;
  error: { message: string; position?: number } | null;
  /** The text typed and not searched yet, or null: a new time range searches it too. */
  onPending?: (q: string | null) => void;
}

export function SearchBar({ value, onSubmit, range, error, onPending }: Props) {
  const [draft, setDraft] = useState(value);
  // Typed but not searched: the page, the count and a Save still show `value` (Kibana's Update cue).
  const pending = draft !== value;
  useEffect(() => onPending?.(pending ? draft : null), [onPending, pending, draft]);
  const [cursor, setCursor] = useState(value.length);
  const [open, setOpen] = useState(false);
  /** The suggestion the user moved to with ↑/↓; -1 until they do, so Enter searches. */
  const [active, setActive] = useState(-1);
  // Focus stays in the box (aria-activedescendant), so nothing scrolls the list by itself: ↓ past
  // its bottom edge highlighted a suggestion out of sight.
  useEffect(() => {
    if (active >= 0) document.getElementById(`suggestion-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const [debounced, setDebounced] = useState({ q: value, pos: value.length });
  const input = useRef<HTMLInputElement>(null);
  const [history, remember] = useQueryHistory();
  const [historyOpen, setHistoryOpen] = useState(false);
  const historyWithin = useRef<HTMLSpanElement>(null);
  const historyButton = useRef<HTMLButtonElement>(null);
  useDismiss(historyOpen, useCallback(() => setHistoryOpen(false), []), historyWithin, historyButton);

  // The text this box just searched for, until the URL (and with it `value`) catches up. That can
  // take a while on a busy machine, and the words typed meanwhile are newer than the search.
  const searchedHere = useRef<string | null>(null);
  useEffect(() => {
    const ours = value === searchedHere.current;
    searchedHere.current = null;
    if (!ours) setDraft(value); // Back, Forward, a saved search opened: the URL speaks for the box
  }, [value]);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced({ q: draft, pos: cursor }), 120);
    return () => clearTimeout(timer);
  }, [draft, cursor]);
  useEffect(() => {
    const focus = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && !document.querySelector('[aria-modal="true"]')) {
        e.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener('keydown', focus);
    return () => window.removeEventListener('keydown', focus);
  }, []);

  const queryClient = useQueryClient();
  // The range as it was when the box was last focused or typed in: an auto-refresh moving "now"
  // every few seconds made the list on screen stale (dimmed, Enter on it held) and asked for it
  // again each time.
  const [rangeAsTyped, setRangeAsTyped] = useState(range);
  const suggestions = useQuery({
    ...suggestOptions(debounced.q, debounced.pos, rangeAsTyped ?? { fromMs: 0, toMs: 1 }),
    // Not for text already typed over: its list could not be applied, and the server would
    // compute it beside the search the user is about to run.
    enabled: open && rangeAsTyped !== null && debounced.q === draft && debounced.pos === cursor,
  });
  const items: Suggestion[] = open ? (suggestions.data?.suggestions ?? []) : [];
  // Suggestions carry ranges of the text they were asked for; applied to other text they garble it.
  const fresh = items.length > 0 && debounced.q === draft && debounced.pos === cursor && !suggestions.isPlaceholderData;

  const apply = (s: Suggestion) => {
    if (!fresh) return;
    // Values and operators end a term, so a space follows; a field name, or a field's comparison
    // (`took_ms>=`), waits for its value.
    const waits = s.kind === 'field' || /[:<>=]$/.test(s.text);
    const insert = waits ? s.text : `${s.text} `;
    const rest = draft.slice(s.to);
    const next = draft.slice(0, s.from) + insert + (waits ? rest : rest.replace(/^\s+/, ''));
    const position = s.from + insert.length;
    setDraft(next);
    setCursor(position);
    setActive(-1);
    // Text unchanged, nothing is committed to wait for.
    if (next === draft) input.current?.setSelectionRange(position, position);
    else caretAfterApply.current = position;
  };
  // The caret goes after the applied text as the text is committed, before the next key: set in
  // the next animation frame instead, it came back to that spot after a fast typist's next
  // letter, and "err" typed on after Tab became "rre".
  const caretAfterApply = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (caretAfterApply.current === null) return;
    input.current?.setSelectionRange(caretAfterApply.current, caretAfterApply.current);
    caretAfterApply.current = null;
  }, [draft]);

  // A suggestion taken (Enter on the highlighted one, or Tab) while the list on screen is still the
  // one for shorter text: taken once the list for the text typed has come, if it offers it too.
  // Searching the half-typed text instead ran a query nobody meant.
  const picked = useRef<Suggestion | null>(null);
  // The list asked for the text and caret as they are has come (empty or not).
  const caughtUp = open && debounced.q === draft && debounced.pos === cursor && suggestions.isSuccess && !suggestions.isPlaceholderData;
  useEffect(() => {
    const wanted = picked.current;
    if (!wanted || !caughtUp) return;
    picked.current = null;
    const same = items.find((s) => s.kind === wanted.kind && s.text === wanted.text);
    // Not there any more: the new list is shown with nothing chosen, and Enter searches.
    if (same) apply(same);
    else setActive(-1);
  });
  const take = (s: Suggestion) => {
    if (fresh) apply(s);
    else picked.current = s;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && items.length > 0) take(items[Math.min(active, items.length - 1)]);
      else submit();
    } else if (e.key === 'Tab' && items.length > 0 && !e.shiftKey && (active >= 0 || draft.trim() !== '')) {
      // With the list open, Tab completes what was typed, as in a shell; from an empty box,
      // nothing chosen, it moves on like any Tab.
      e.preventDefault();
      take(items[Math.max(0, Math.min(active, items.length - 1))]);
    } else if (e.key === 'Tab' && !e.shiftKey && items.length > 0) {
      setOpen(false);
      setActive(-1);
    } else if (e.key === 'ArrowDown' && items.length === 0) {
      // From the query straight to the results: ↓ again walks the rows.
      const first = document.querySelector<HTMLElement>('[data-testid=hit-row]');
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === 'ArrowUp' && items.length > 0) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === 'Escape') {
      picked.current = null;
      setOpen(false);
      setActive(-1);
    }
  };

  const submit = (q = draft) => {
    // A list still being computed is of no use once the search runs, and would slow it down.
    void queryClient.cancelQueries({ queryKey: ['suggest'] });
    picked.current = null;
    setOpen(false);
    setActive(-1);
    setHistoryOpen(false);
    remember(q);
    if (q !== value) searchedHere.current = q;
    onSubmit(q);
  };

  return (
    <form
      className="search-bar"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="search-input-wrap">
        <input
          ref={input}
          id={SEARCH_INPUT_ID}
          aria-label="Search query"
          data-testid="query"
          className={`search-input${error ? ' invalid' : ''}${pending ? ' pending' : ''}`}
          title={pending ? 'Not searched yet: press Enter to search what is typed' : undefined}
          value={draft}
          spellCheck={false}
          autoComplete="off"
          placeholder='Search… e.g. level:error and namespace:shop "connection refused"  (press / to focus)'
          onChange={(e) => {
            picked.current = null;
            setDraft(e.target.value);
            setCursor(e.target.selectionStart ?? e.target.value.length);
            setOpen(true);
            setActive(-1);
            setRangeAsTyped(range);
          }}
          onSelect={(e) => {
            const at = e.currentTarget.selectionStart ?? 0;
            // The caret moved on: a suggestion chosen for where it was is not wanted, and Enter searches.
            if (at !== cursor) {
              picked.current = null;
              setActive(-1);
              setRangeAsTyped(range);
            }
            setCursor(at);
          }}
          onFocus={() => {
            setOpen(true);
            setRangeAsTyped(range);
          }}
          role="combobox"
          aria-expanded={items.length > 0}
          aria-controls="query-suggestions"
          aria-autocomplete="list"
          aria-activedescendant={fresh && active >= 0 ? `suggestion-${active}` : undefined}
          onBlur={() => {
            picked.current = null;
            setTimeout(() => setOpen(false), 150);
          }}
          onKeyDown={onKeyDown}
        />
        {items.length > 0 && (
          <ul className={fresh ? 'suggestions' : 'suggestions stale'} role="listbox" id="query-suggestions" data-testid="suggestions" aria-busy={!fresh}>
            {items.map((s, i) => (
              <li
                key={`${s.kind}:${s.text}`}
                id={`suggestion-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  take(s);
                }}
              >
                <span className={`kind kind-${s.kind}`}>{s.kind}</span>
                <span className="text">{s.text}</span>
                {s.count !== undefined && <span className="count">{s.count.toLocaleString()}</span>}
              </li>
            ))}
          </ul>
        )}
        {error && (
          <div className="query-error" role="alert" data-testid="query-error">
            {/* The position is in the searched text: under edited text it would mark the wrong place. */}
            {error.position !== undefined && !pending && (
              <pre className="error-caret" aria-hidden="true">
                {`${draft.slice(0, error.position).replace(/[^\t]/g, ' ')}^`}
              </pre>
            )}
            <span>{error.message}</span>
          </div>
        )}
      </div>
      <span className="history" ref={historyWithin}>
        <button type="button" ref={historyButton} aria-expanded={historyOpen} title="Recent queries" onClick={() => setHistoryOpen(!historyOpen)}>
          History
        </button>
        {historyOpen && (
          <ul className="history-list" aria-label="Recent queries" data-testid="history">
            {history.length === 0 && <li className="muted small">No queries yet.</li>}
            {history.map((q) => (
              <li key={q}>
                <button
                  type="button"
                  onClick={() => {
                    setDraft(q);
                    submit(q);
                  }}
                >
                  {q}
                </button>
              </li>
            ))}
          </ul>
        )}
      </span>
      <button type="submit" className={pending ? 'primary needs-update' : 'primary'}>
        Search
      </button>
    </form>
  );
}
