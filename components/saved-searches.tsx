'use client';
// Saved searches: the current view (query, filters, range, columns, order, split) under a name,
// kept on the server for the signed-in user, listed and opened from here.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import { deleteSavedSearch, saveSearch, savedSearchesOptions } from './queries';
import { readView, type ViewState, writeView } from './view-state';

interface Props {
  view: ViewState;
  onOpen: (view: ViewState) => void;
}

/** What a saved search keeps: the view less what belongs to one moment (an opened line). */
function savedView(view: ViewState): Record<string, unknown> {
  return { url: writeView({ ...view, line: null }) };
}

function viewOf(saved: Record<string, unknown>): ViewState {
  return readView(new URLSearchParams(typeof saved.url === 'string' ? saved.url : ''));
}

export function SavedSearches({ view, onOpen }: Props) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const client = useQueryClient();
  const list = useQuery({ ...savedSearchesOptions(), enabled: open });
  const refresh = () => client.invalidateQueries({ queryKey: savedSearchesOptions().queryKey });
  const save = useMutation({ mutationFn: saveSearch, onSuccess: () => { setName(''); void refresh(); } });
  const remove = useMutation({ mutationFn: deleteSavedSearch, onSuccess: () => void refresh() });
  const within = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  useDismiss(open, useCallback(() => setOpen(false), []), within, trigger);
  return (
    <span className="saved-searches" ref={within}>
      <button type="button" ref={trigger} aria-expanded={open} onClick={() => setOpen(!open)}>
        Saved
      </button>
      {open && (
        <div className="saved-panel" role="group" aria-label="Saved searches" data-testid="saved-searches">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save.mutate({ name: name.trim(), view: savedView(view) });
            }}
          >
            <input aria-label="Name of this search" placeholder="Save this view as…" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
            <button type="submit" disabled={!name.trim() || save.isPending}>
              Save
            </button>
          </form>
          {save.isError && <p className="error small">Not saved: {save.error.message}</p>}
          {list.isPending && <p className="muted small">Loading…</p>}
          {list.isError && <p className="error small">Cannot list saved searches: {list.error.message}</p>}
          {list.data?.searches.length === 0 && <p className="muted small">Nothing saved yet: name this view above.</p>}
          <ul>
            {list.data?.searches.map((s) => (
              <li key={s.id} data-testid="saved-search">
                <button
                  type="button"
                  className="saved-open"
                  title={`Updated ${new Date(s.updatedAt).toLocaleString()}`}
                  onClick={() => {
                    setOpen(false);
                    onOpen(viewOf(s.view));
                  }}
                >
                  {s.name}
                </button>
                <button type="button" aria-label={`Delete saved search ${s.name}`} title="Delete" onClick={() => remove.mutate(s.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </span>
  );
}
