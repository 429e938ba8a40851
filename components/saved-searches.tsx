'use client';
// Saved searches: the current view (query, filters, range, columns, order, split) under a name,
// kept on the server for the signed-in user, listed and opened from here. As in Kibana, the one
// open is named beside the button and marked when the view has changed since; Save writes its
// changes in place, another name saves a new one or renames the open one (Kibana's save under a
// new title), and replacing another search or deleting one is asked first.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { useDismiss } from './dismiss';
import { deleteSavedSearch, saveSearch, savedSearchesOptions, updateSavedSearch } from './queries';
import { formatInZone, useTimeZone, zoneName } from './time-zone';
import { readView, type ViewState, writeView } from './view-state';

interface Props {
  /** The view, with the id of the saved search open (`saved`). */
  view: ViewState;
  /** Opens a saved search: its view, with its id. */
  onOpen: (view: ViewState) => void;
  /** Marks which saved search is open (or none): saving one opens it, deleting it closes it. */
  onCurrent: (id: string | null) => void;
}

/** What a saved search keeps: the view less what belongs to one moment (an opened line). */
function savedView(view: ViewState): { url: string } {
  return { url: writeView({ ...view, line: null, saved: null }) };
}

function viewOf(saved: Record<string, unknown>): ViewState {
  return readView(new URLSearchParams(typeof saved.url === 'string' ? saved.url : ''));
}

/** The server replaces a search of exactly the same name (trimmed), case and all. */
const sameName = (a: string, b: string) => a.trim() === b.trim();

export function SavedSearches({ view, onOpen, onCurrent }: Props) {
  const zone = useTimeZone();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  /** Another saved search that Save (or Rename) would replace, once that has been said. */
  const [replacing, setReplacing] = useState<{ name: string; rename: boolean } | null>(null);
  /** The saved search whose × was pressed, waiting for Delete or Keep. */
  const [deleting, setDeleting] = useState<string | null>(null);
  const client = useQueryClient();
  // Read as soon as one is open (a reload, a link), to name it.
  const list = useQuery({ ...savedSearchesOptions(), enabled: open || view.saved !== null });
  /** The saved search open, as saved; none while the list is read, or when the id is not there. */
  const current = list.data?.searches.find((s) => s.id === view.saved) ?? null;
  const refresh = () => client.invalidateQueries({ queryKey: savedSearchesOptions().queryKey });
  const close = useCallback(() => setOpen(false), []);
  const save = useMutation({
    // With the id of the open search: written into it, under the name typed (a rename).
    mutationFn: ({ id, ...body }: { id?: string; name: string; view: { url: string } }) => (id ? updateSavedSearch({ id, ...body }) : saveSearch(body)),
    onSuccess: (stored) => {
      // In the list at once, so the name shows before the list is read again.
      client.setQueryData(
        savedSearchesOptions().queryKey,
        (data) => data && { ...data, searches: [...data.searches.filter((s) => s.id !== stored.id && !sameName(s.name, stored.name)), stored] },
      );
      onCurrent(stored.id);
      setOpen(false);
      // The panel is gone with the button pressed: the focus goes back to what opened it.
      trigger.current?.focus();
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: deleteSavedSearch,
    onSuccess: ({ deleted }) => {
      if (view.saved === deleted) onCurrent(null);
      setDeleting(null);
      nameBox.current?.focus(); // its line, and the button pressed on it, are gone
      void refresh();
    },
  });
  const within = useRef<HTMLSpanElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const nameBox = useRef<HTMLInputElement>(null);
  useDismiss(open, close, within, trigger);

  const changed = current !== null && (current.view as { url?: string }).url !== savedView(view).url;
  const typed = name.trim();
  const other = list.data?.searches.find((s) => sameName(s.name, typed) && s.id !== current?.id);
  const asked = (rename: boolean) => other !== undefined && replacing?.name === other.name && replacing.rename === rename;
  const submitLabel = !typed ? 'Save' : current && sameName(typed, current.name) ? 'Save changes' : other ? (asked(false) ? 'Replace' : 'Save') : current ? 'Save as new' : 'Save';
  const renaming = current !== null && typed !== '' && !sameName(typed, current.name);
  /** Saves under the name typed: into the open search with `rename`, else as a search of that name. */
  const submit = (rename: boolean) => {
    if (!typed) return;
    if (other && !asked(rename)) {
      setReplacing({ name: other.name, rename });
      return;
    }
    save.mutate({ id: rename ? current?.id : undefined, name: typed, view: savedView(view) });
  };

  const toggle = () => {
    if (!open) {
      setName(current?.name ?? '');
      setReplacing(null);
      setDeleting(null);
      // What failed before was said then; opened again, the panel starts afresh.
      save.reset();
      remove.reset();
    }
    setOpen(!open);
  };

  return (
    <span className="saved-searches" ref={within}>
      <button type="button" ref={trigger} aria-expanded={open} onClick={toggle}>
        Saved
      </button>
      {current && (
        <span className="saved-current" data-testid="saved-current" title={changed ? 'The view has changed since it was saved' : 'The saved search open'}>
          {current.name}
          {changed && <span className="muted"> (changed)</span>}
        </span>
      )}
      {open && (
        <div className="saved-panel" role="group" aria-label="Saved searches" data-testid="saved-searches">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              submit(false);
            }}
          >
            <input
              ref={nameBox}
              aria-label="Name of this search"
              placeholder="Save this view as…"
              value={name}
              maxLength={100}
              onChange={(e) => {
                setName(e.target.value);
                setReplacing(null);
              }}
            />
            <button type="submit" disabled={!typed || save.isPending}>
              {submitLabel}
            </button>
            {renaming && (
              <button type="button" title={`Save this view into “${current.name}”, renamed`} disabled={save.isPending} onClick={() => submit(true)}>
                {asked(true) ? 'Replace' : 'Rename'}
              </button>
            )}
          </form>
          {other && replacing?.name === other.name && <p className="small">“{other.name}” exists: Replace overwrites it with this view.</p>}
          {save.isError && <p className="error small">Not saved: {save.error.message}</p>}
          {list.isPending && <p className="muted small">Loading…</p>}
          {list.isError && <p className="error small">Cannot list saved searches: {list.error.message}</p>}
          {list.data?.searches.length === 0 && <p className="muted small">Nothing saved yet: name this view above.</p>}
          <ul>
            {list.data?.searches.map((s) => (
              <li key={s.id} data-testid="saved-search">
                {deleting === s.id ? (
                  <>
                    <button type="button" className="danger" onClick={() => remove.mutate(s.id)} disabled={remove.isPending}>
                      Delete “{s.name}”
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setDeleting(null);
                        // Back on the × that asked, which comes back in the Keep button's place.
                        requestAnimationFrame(() => within.current?.querySelector<HTMLElement>(`[aria-label="${CSS.escape(`Delete saved search ${s.name}`)}"]`)?.focus());
                      }}
                    >
                      Keep
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      className="saved-open"
                      aria-current={s.id === current?.id || undefined}
                      title={`Updated ${formatInZone(Date.parse(s.updatedAt), zone)} (${zoneName(zone)})`}
                      onClick={() => {
                        setOpen(false);
                        trigger.current?.focus();
                        onOpen({ ...viewOf(s.view), saved: s.id });
                      }}
                    >
                      {s.name}
                    </button>
                    <button type="button" aria-label={`Delete saved search ${s.name}`} title="Delete" onClick={() => setDeleting(s.id)}>
                      ×
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          {remove.isError && <p className="error small">Not deleted: {remove.error.message}</p>}
        </div>
      )}
    </span>
  );
}
