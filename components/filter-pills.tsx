'use client';
// The filters under the search bar. A click on a pill opens its actions, each named in words
// (as Kibana's pills do): edit the whole filter (filter-form.tsx) or just the value (Enter or
// Save; Escape cancels), exclude or include, disable for a moment, delete.
// The × deletes at once. The menu is one from the keyboard too: it takes the focus, ↑/↓/Home/End
// move in it, Escape (or a press anywhere else) closes it, and the focus returns to its pill.
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { type FilterClause, isNegatedOp, listsValues, oppositeOp } from '@/common/query-text';
import { FilterForm } from './filter-form';
import type { SearchKey } from './queries';
import { SEARCH_INPUT_ID } from './search-bar';

interface Props {
  filters: FilterClause[];
  onChange: (filters: FilterClause[]) => void;
  /** The result shown: Edit filter offers its fields. */
  searchKey: SearchKey | null;
}

/** Moves the focus to the pill of `filter`: one added from elsewhere whose button was then gone. */
export function focusFilterPill(filter: FilterClause): void {
  const label = filterLabel(filter);
  const pills = document.querySelectorAll<HTMLElement>('[data-testid=filters] .pill-label');
  [...pills].find((pill) => pill.textContent === label)?.focus();
}

/**
 * Once the button `from` that added `filter` is gone (its row left with the search it started),
 * moves the focus from the page to the filter's pill, unless the reader has gone elsewhere since.
 */
export function focusFilterPillWhenGone(from: HTMLElement, filter: FilterClause): void {
  const until = Date.now() + PILL_FOCUS_WAIT_MS;
  const look = () => {
    const active = document.activeElement;
    if (active && active !== document.body && active !== from) return;
    if (from.isConnected && active === from) {
      if (Date.now() < until) setTimeout(look, 50);
      return;
    }
    focusFilterPill(filter);
  };
  look();
}

/** How long a search may take to drop the row whose button added a filter. */
const PILL_FOCUS_WAIT_MS = 30_000;

export function filterLabel(f: FilterClause): string {
  const not = isNegatedOp(f.op) ? 'NOT ' : '';
  if (f.op === 'exists' || f.op === 'does not exist') return `${not}${f.field} exists`;
  if (listsValues(f.op)) return `${not}${f.field} is one of ${(f.values ?? []).join(', ')}`;
  return `${not}${f.field}: ${f.value}`;
}

export function FilterPills({ filters, onChange, searchKey }: Props) {
  const [editing, setEditing] = useState<number | null>(null);
  /** The pill whose whole filter is open in the form. */
  const [editingFilter, setEditingFilter] = useState<number | null>(null);
  const [menu, setMenu] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const list = useRef<HTMLUListElement>(null);
  /**
   * The pill whose label takes the focus: at once (Escape), or once the filters its menu changed
   * have come back from the URL (`before`: the filters it changed), as the pill may be redrawn.
   */
  const [focusPill, setFocusPill] = useState<{ index: number; before?: FilterClause[] } | null>(null);
  useEffect(() => {
    if (focusPill === null || focusPill.before === filters) return;
    const labels = list.current?.querySelectorAll<HTMLElement>('.pill-label') ?? [];
    labels[Math.min(focusPill.index, labels.length - 1)]?.focus();
    setFocusPill(null);
  }, [focusPill, filters]);
  useEffect(() => {
    if (menu === null) return;
    list.current?.querySelector<HTMLElement>('[role=menu] [role=menuitem]')?.focus();
    const outside = (e: MouseEvent) => {
      // A pill's own label toggles its menu on click; pressing anything else closes it.
      if (!(e.target instanceof Element && e.target.closest('[role=menu], .pill-label'))) setMenu(null);
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [menu]);
  if (filters.length === 0) return null;
  const replace = (i: number, next: FilterClause | null) => {
    setMenu(null);
    onChange(next ? filters.map((f, j) => (j === i ? next : f)) : filters.filter((_, j) => j !== i));
    const unchanged = next !== null && filterLabel(next) === filterLabel(filters[i]) && !next.disabled === !filters[i].disabled;
    // Unchanged, the URL stays as it is and no new filters come back to wait for.
    if (unchanged) setFocusPill({ index: i });
    else if (next || filters.length > 1) setFocusPill({ index: next ? i : Math.max(0, i - 1), before: filters });
    else document.getElementById(SEARCH_INPUT_ID)?.focus(); // the last pill gone: the list with it
  };
  const menuKeys = (e: KeyboardEvent<HTMLUListElement>, i: number) => {
    const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const at = items.indexOf(document.activeElement as HTMLElement);
    const to = { ArrowDown: (at + 1) % items.length, ArrowUp: (at - 1 + items.length) % items.length, Home: 0, End: items.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      items[to]?.focus();
    } else if (e.key === 'Escape') {
      setMenu(null);
      setFocusPill({ index: i });
    } else if (e.key === 'Tab') {
      setMenu(null);
    }
  };
  return (
    <ul className="pills" aria-label="Filters" data-testid="filters" ref={list}>
      {filters.map((f, i) => (
        <li key={`${f.field}:${f.op}:${f.value}:${i}`} className={`pill${f.disabled ? ' disabled' : ''}${isNegatedOp(f.op) ? ' negated' : ''}`} data-testid="filter-pill">
          {editing === i ? (
            <form
              className="pill-edit"
              onSubmit={(e) => {
                e.preventDefault();
                if (draft === '') return; // as Kibana's Save is off until there is a value
                replace(i, { ...f, value: draft });
                setEditing(null);
              }}
              // Leaving the editor cancels it, as a press outside Kibana's does; Save is inside.
              onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setEditing(null)}
              onKeyDown={(e) => {
                if (e.key !== 'Escape') return;
                e.stopPropagation();
                setEditing(null);
                setFocusPill({ index: i });
              }}
            >
              <label>
                {f.field}:{' '}
                <input aria-label={`Value of ${f.field}`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} />
              </label>
              {/* Pressed, it leaves the focus in the box: Safari and Firefox on macOS focus no button on
                  a click, so the box's blur saw focus leave the editor and cancelled it before Save. */}
              <button type="submit" disabled={draft === ''} title={draft === '' ? 'Type a value' : undefined} onMouseDown={(e) => e.preventDefault()}>
                Save
              </button>
            </form>
          ) : (
            <button
              type="button"
              className="pill-label"
              aria-haspopup="menu"
              aria-expanded={menu === i}
              // The whole filter on hover: a long one (a pattern's template) is cut on the pill.
              title={`${filterLabel(f)}${f.disabled ? ' (disabled: not applied)' : ''}`}
              onClick={() => setMenu(menu === i ? null : i)}
              onKeyDown={(e) => e.key === 'Escape' && setMenu(null)}
            >
              {filterLabel(f)}
            </button>
          )}
          <button type="button" className="pill-remove" title="Delete this filter" aria-label={`Delete ${filterLabel(f)}`} onClick={() => replace(i, null)}>
            ×
          </button>
          {editingFilter === i && (
            <FilterForm
              searchKey={searchKey}
              initial={f}
              title="Edit filter"
              submitLabel="Save"
              onSubmit={(next) => {
                setEditingFilter(null);
                replace(i, f.disabled ? { ...next, disabled: true } : next);
              }}
              onClose={(refocus) => {
                setEditingFilter(null);
                if (refocus) setFocusPill({ index: i });
              }}
            />
          )}
          {menu === i && (
            <ul className="pill-menu" role="menu" aria-label={`Actions for ${filterLabel(f)}`} onKeyDown={(e) => menuKeys(e, i)}>
              <li>
                <button type="button" role="menuitem" onClick={() => { setEditingFilter(i); setMenu(null); }}>
                  Edit filter
                </button>
              </li>
              {(f.op === 'is' || f.op === 'is not') && (
                <li>
                  <button type="button" role="menuitem" onClick={() => { setDraft(f.value); setEditing(i); setMenu(null); }}>
                    Edit value
                  </button>
                </li>
              )}
              <li>
                <button type="button" role="menuitem" onClick={() => replace(i, { ...f, op: oppositeOp(f.op) })}>
                  {isNegatedOp(f.op) ? 'Include results' : 'Exclude results'}
                </button>
              </li>
              <li>
                <button type="button" role="menuitem" onClick={() => replace(i, f.disabled ? { ...f, disabled: undefined } : { ...f, disabled: true })}>
                  {f.disabled ? 'Re-enable' : 'Temporarily disable'}
                </button>
              </li>
              <li>
                <button type="button" role="menuitem" onClick={() => replace(i, null)}>
                  Delete
                </button>
              </li>
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
