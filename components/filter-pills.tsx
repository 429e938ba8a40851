'use client';
// The filters under the search bar. A click on a pill opens its actions, each named in words
// (as Kibana's pills do): edit the value, exclude or include, disable for a moment, delete.
// The × deletes at once.
import { useState } from 'react';
import type { FilterClause } from '@/common/query-text';

interface Props {
  filters: FilterClause[];
  onChange: (filters: FilterClause[]) => void;
}

export function filterLabel(f: FilterClause): string {
  if (f.op === 'exists') return `${f.field} exists`;
  if (f.op === 'is one of') return `${f.field} is one of ${(f.values ?? []).join(', ')}`;
  return `${f.op === 'is not' ? 'NOT ' : ''}${f.field}: ${f.value}`;
}

export function FilterPills({ filters, onChange }: Props) {
  const [editing, setEditing] = useState<number | null>(null);
  const [menu, setMenu] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  if (filters.length === 0) return null;
  const replace = (i: number, next: FilterClause | null) => {
    setMenu(null);
    onChange(next ? filters.map((f, j) => (j === i ? next : f)) : filters.filter((_, j) => j !== i));
  };
  return (
    <ul className="pills" aria-label="Filters" data-testid="filters">
      {filters.map((f, i) => (
        <li key={`${f.field}:${f.op}:${f.value}:${i}`} className={`pill${f.disabled ? ' disabled' : ''}${f.op === 'is not' ? ' negated' : ''}`} data-testid="filter-pill">
          {editing === i ? (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                replace(i, { ...f, value: draft });
                setEditing(null);
              }}
            >
              <label>
                {f.field}:{' '}
                <input aria-label={`Value of ${f.field}`} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)} onBlur={() => setEditing(null)} />
              </label>
            </form>
          ) : (
            <button
              type="button"
              className="pill-label"
              aria-haspopup="menu"
              aria-expanded={menu === i}
              title={f.disabled ? 'Disabled: this filter is not applied' : 'Filter actions'}
              onClick={() => setMenu(menu === i ? null : i)}
              onKeyDown={(e) => e.key === 'Escape' && setMenu(null)}
            >
              {filterLabel(f)}
            </button>
          )}
          <button type="button" className="pill-remove" title="Delete this filter" aria-label={`Delete ${filterLabel(f)}`} onClick={() => replace(i, null)}>
            ×
          </button>
          {menu === i && (
            <ul className="pill-menu" role="menu" aria-label={`Actions for ${filterLabel(f)}`}>
              {(f.op === 'is' || f.op === 'is not') && (
                <li>
                  <button type="button" role="menuitem" onClick={() => { setDraft(f.value); setEditing(i); setMenu(null); }}>
                    Edit value
                  </button>
                </li>
              )}
              {(f.op === 'is' || f.op === 'is not') && (
                <li>
                  <button type="button" role="menuitem" onClick={() => replace(i, { ...f, op: f.op === 'is' ? 'is not' : 'is' })}>
                    {f.op === 'is' ? 'Exclude results' : 'Include results'}
                  </button>
                </li>
              )}
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
