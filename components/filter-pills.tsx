'use client';
// The filters under the search bar: each pill can be negated, disabled, edited or removed.
import { useState } from 'react';
import type { FilterClause } from '@/common/query-text';

interface Props {
  filters: FilterClause[];
  onChange: (filters: FilterClause[]) => void;
}

export function filterLabel(f: FilterClause): string {
  if (f.op === 'exists') return `${f.field} exists`;
  return `${f.op === 'is not' ? 'NOT ' : ''}${f.field}: ${f.value}`;
}

export function FilterPills({ filters, onChange }: Props) {
  const [editing, setEditing] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  if (filters.length === 0) return null;
  const replace = (i: number, next: FilterClause | null) =>
    onChange(next ? filters.map((f, j) => (j === i ? next : f)) : filters.filter((_, j) => j !== i));
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
            <span className="pill-label">{filterLabel(f)}</span>
          )}
          {f.op !== 'exists' && editing !== i && (
            <button type="button" title="Edit value" aria-label={`Edit ${filterLabel(f)}`} onClick={() => { setDraft(f.value); setEditing(i); }}>
              ✎
            </button>
          )}
          {f.op !== 'exists' && (
            <button type="button" title={f.op === 'is' ? 'Negate' : 'Include'} aria-label={`Negate ${filterLabel(f)}`} onClick={() => replace(i, { ...f, op: f.op === 'is' ? 'is not' : 'is' })}>
              ±
            </button>
          )}
          <button
            type="button"
            title={f.disabled ? 'Enable' : 'Disable'}
            aria-label={`${f.disabled ? 'Enable' : 'Disable'} ${filterLabel(f)}`}
            onClick={() => replace(i, f.disabled ? { field: f.field, value: f.value, op: f.op } : { ...f, disabled: true })}
          >
            {f.disabled ? '◻' : '◼'}
          </button>
          <button type="button" title="Remove" aria-label={`Remove ${filterLabel(f)}`} onClick={() => replace(i, null)}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
