'use client';
// Share: a link to this view with the range made absolute, so the receiver sees the same lines
// however late they open it ("the last 15 minutes" would be their last 15 minutes).
import { useCallback, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import { CopyButton } from './copy-button';
import { type ResolvedRange, type ViewState, writeView } from './view-state';

export function absoluteLink(view: ViewState, range: ResolvedRange, origin: string, pathname: string): string {
  const [from, to] = [new Date(range.fromMs).toISOString(), new Date(range.toMs).toISOString()];
  // A saved search's relative range made fixed is no longer that search: named in the link, it
  // opened as "(changed)", and Save changes there would have fixed the saved range for everyone.
  const saved = from === view.from && to === view.to ? view.saved : null;
  return `${origin}${pathname}${writeView({ ...view, from, to, refresh: 'off', saved })}`;
}

export function ShareLink({ view, range }: { view: ViewState; range: ResolvedRange | null }) {
  const [link, setLink] = useState<string | null>(null);
  const within = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useDismiss(link !== null, useCallback(() => setLink(null), []), within, trigger);
  return (
    <span className="share-link" ref={within}>
      <button
        ref={trigger}
        type="button"
        disabled={!range}
        aria-expanded={link !== null}
        onClick={() => {
          setLink(link === null && range ? absoluteLink(view, range, window.location.origin, window.location.pathname) : null);
        }}
      >
        Share
      </button>
      {link !== null && (
        <span className="share-panel" role="group" aria-label="Share this view">
          <input aria-label="Link to this view" data-testid="share-url" readOnly value={link} onFocus={(e) => e.currentTarget.select()} autoFocus />
          <CopyButton text={link} />
          <span className="muted small">The range is fixed: the link shows these lines whenever it is opened.</span>
        </span>
      )}
    </span>
  );
}
