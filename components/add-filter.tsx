'use client';
// "+ Add filter" beside the pills, as Kibana's filter bar has: a field, an operator and a value
// make a pill (filter-form.tsx), for a field the list does not show or a value it does not offer.
// The focus goes back to the button once the form is left, with a filter or without.
import { useRef, useState } from 'react';
import type { FilterClause } from '@/common/query-text';
import { FilterForm } from './filter-form';
import type { SearchKey } from './queries';

interface Props {
  /** The result shown: its fields are offered in the form. */
  searchKey: SearchKey | null;
  onAdd: (filter: FilterClause) => void;
}

export function AddFilter({ searchKey, onAdd }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };
  return (
    <div className="add-filter">
      <button type="button" ref={button} aria-haspopup="dialog" aria-expanded={open} onClick={() => setOpen(!open)}>
        + Add filter
      </button>
      {open && (
        <FilterForm
          searchKey={searchKey}
          title="Add filter"
          submitLabel="Add"
          onSubmit={(filter) => {
            onAdd(filter);
            close(true);
          }}
          onClose={close}
          inside={button}
        />
      )}
    </div>
  );
}
