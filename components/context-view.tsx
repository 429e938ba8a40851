'use client';
// The lines around one hit, in the scope the user picks: the same container, pod or node, or
// everything within seconds of it. The chosen line is marked; more lines load on demand; the
// table's columns are kept.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Hit, SourceInfo } from '@/common/read-api';
import { HitRow } from './hit-row';
import { contextOptions } from './queries';
import { TryAgain } from './try-again';

const SCOPES = [
  { value: 'container', label: 'Same container' },
  { value: 'pod', label: 'Same pod' },
  { value: 'node', label: 'Same node' },
  { value: 'all', label: 'Everything within' },
] as const;
const STEP = 20;

/** A scope named with the line's own container, pod or node, once its source is known. */
function scopeLabel(scope: (typeof SCOPES)[number], source: SourceInfo | undefined): string {
  const name = !source || scope.value === 'all' ? '' : scope.value === 'pod' ? source.pod : scope.value === 'node' ? source.node : source.container;
  return name ? `${scope.label} (${name})` : scope.label;
}

interface Props {
  /** The hit's id: from a row, or from a link to one line. */
  id: string;
  columns: string[];
  onClose: () => void;
}

export function ContextView({ id, columns, onClose }: Props) {
  const [scope, setScope] = useState<(typeof SCOPES)[number]['value']>('container');
  const [before, setBefore] = useState(STEP);
  const [after, setAfter] = useState(STEP);
  const [seconds, setSeconds] = useState(10);
  const context = useQuery({ ...contextOptions(id, scope, before, after, scope === 'all' ? seconds : undefined), placeholderData: keepPreviousData });
  // How many lines the lines on screen were asked with: while more are loading, the lines kept
  // meanwhile are fewer than asked for, which does not mean the scope has no more.
  const shownFor = useRef({ before, after });
  if (context.data && !context.isPlaceholderData) shownFor.current = { before, after };
  const loadingEarlier = context.isPlaceholderData && before > shownFor.current.before;
  const loadingLater = context.isPlaceholderData && after > shownFor.current.after;
  // The last lines that came, kept on screen through a new scope's load and through a failure
  // (the query's own placeholder lasts only while it loads): the reader keeps what they read.
  const lastShown = useRef(context.data);
  const fresh = context.data !== undefined && !context.isPlaceholderData;
  if (fresh) lastShown.current = context.data;
  const busy = !fresh && context.isFetching;
  /** Lines of another scope (or window) than the one chosen, while its own load. */
  const loadingScope = busy && !loadingEarlier && !loadingLater;
  const marked = useRef<HTMLTableElement>(null);
  // Centre the marked line once per scope, when that scope's lines have arrived (not on the
  // previous scope's lines kept on screen while they load, nor when more lines are loaded).
  const centred = useRef('');
  const view = `${id}:${scope}:${scope === 'all' ? seconds : ''}`;
  useEffect(() => {
    if (!context.data || context.isPlaceholderData || centred.current === view) return;
    centred.current = view;
    const line = marked.current?.querySelector<HTMLElement>('tr.marked');
    line?.scrollIntoView({ block: 'center' });
    // The reader starts at the line they came for, ↑ ↓ to its neighbours, unless they have moved on.
    if (document.activeElement === closeButton.current) line?.focus({ preventScroll: true });
  }, [context.data, context.isPlaceholderData, view]);
  useEffect(() => {
    const close = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', close);
    return () => window.removeEventListener('keydown', close);
  }, [onClose]);
  // Modal: the focus moves in, the page behind takes neither focus nor keys (its `/` focused the
  // query box under the backdrop), and on close the focus goes back to what opened it.
  const dialog = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const behind = [...(dialog.current?.parentElement?.children ?? [])].filter((el): el is HTMLElement => el !== dialog.current && el instanceof HTMLElement && !el.inert);
    for (const el of behind) el.inert = true;
    // The marked line when its lines are already here (opened again), else Close until they come.
    (dialog.current?.querySelector<HTMLElement>('tr.marked') ?? closeButton.current)?.focus();
    return () => {
      for (const el of behind) el.inert = false;
      opener?.focus();
    };
  }, []);

  const data = context.data ?? lastShown.current;
  const noEarlier = !data || busy || data.before.length < shownFor.current.before;
  const noLater = !data || busy || data.after.length < shownFor.current.after;
  const error = context.isError && !context.isFetching ? context.error : null;
  // Kept through a change of scope: the line, and so its source, stays the same.
  const hitSource = data ? data.sources[data.hit.source] : undefined;
  return (
    <div ref={dialog} className="context-backdrop" role="dialog" aria-modal="true" aria-label="Surrounding lines" data-testid="context">
      <div className="context-panel">
        <header>
          <strong>Surrounding lines</strong>
          <select aria-label="Scope" data-testid="context-scope" value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
            {SCOPES.map((s) => (
              <option key={s.value} value={s.value}>
                {scopeLabel(s, hitSource)}
              </option>
            ))}
          </select>
          {scope === 'all' && (
            <select aria-label="Seconds around the line" data-testid="context-seconds" value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
              {[1, 5, 10, 30, 60].map((n) => (
                <option key={n} value={n}>
                  ±{n} s
                </option>
              ))}
            </select>
          )}
          <button ref={closeButton} type="button" onClick={onClose} aria-label="Close">
            Close
          </button>
        </header>
        {error && (
          <p className="error" role="alert">
            Cannot load these lines: {error.message}{' '}
            <TryAgain error={error} onRetry={() => void context.refetch()} />
          </p>
        )}
        {!data && context.isPending && <p className="muted">Loading…</p>}
        {data && (
          <div className={`context-body${busy ? ' loading' : ''}`} data-testid="context-lines" aria-busy={busy || undefined}>
            {/* aria-disabled, not disabled: a button disabled while its lines load dropped the focus
                of the reader who pressed it to the page, and it was not there to press again. */}
            <button type="button" onClick={() => !noEarlier && setBefore(before + STEP)} aria-disabled={noEarlier || undefined} data-testid="context-earlier">
              {loadingEarlier ? 'Loading earlier lines…' : loadingScope ? 'Loading…' : data.before.length < shownFor.current.before ? 'No earlier lines in scope' : 'Load earlier lines'}
            </button>
            <table className="log-table" ref={marked}>
              {[...data.before, data.hit, ...data.after].map((h) => (
                <HitRow key={h.id} hit={h} source={data.sources[h.source]} terms={[]} columns={columns} marked={h.id === data.hit.id} />
              ))}
            </table>
            <button type="button" onClick={() => !noLater && setAfter(after + STEP)} aria-disabled={noLater || undefined} data-testid="context-later">
              {loadingLater ? 'Loading later lines…' : loadingScope ? 'Loading…' : data.after.length < shownFor.current.after ? 'No later lines in scope' : 'Load later lines'}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
