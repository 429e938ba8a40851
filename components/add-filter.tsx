'use client';
// "+ Add filter" beside the pills, as Kibana's filter bar has: a field, an operator and a value
// make a pill, for a field the list does not show or a value it does not offer. The field box
// offers the result's fields. Enter adds, Escape (or a press elsewhere) leaves without one; the
// focus goes back to the button either way.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { type FilterClause, type FilterOp, isQueryableField, listsValues } from '@/common/query-text';
import { askable, fieldsOptions, type SearchKey } from './queries';

/** Asked for nothing: without a valid range there is no result to take fields from. */
const NO_RESULT: SearchKey = { q: '', fromMs: 0, toMs: 0 };
const OPERATORS: readonly FilterOp[] = ['is', 'is not', 'is one of', 'is not one of', 'exists', 'does not exist'];

interface Props {
  /** The result shown: its fields are offered (the field list's own query, so no second read). */
  searchKey: SearchKey | null;
  onAdd: (filter: FilterClause) => void;
}

export function AddFilter({ searchKey, onAdd }: Props) {
  const [open, setOpen] = useState(false);
  const fields = useQuery({ ...fieldsOptions(searchKey ?? NO_RESULT), enabled: open && searchKey ? askable : false, placeholderData: keepPreviousData });
  const fieldNames = (fields.data?.fields ?? []).map((f) => f.name).filter(isQueryableField);
  const listId = useId();
  const [field, setField] = useState('');
  const [op, setOp] = useState<FilterOp>('is');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const fieldBox = useRef<HTMLInputElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  useEffect(() => {
    if (!open) return;
    const outside = (e: MouseEvent) => {
      if (!(e.target instanceof Node && (form.current?.contains(e.target) || button.current?.contains(e.target)))) setOpen(false);
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [open]);
  const values = value.split(',').map((v) => v.trim()).filter(Boolean);
  const needsValue = op !== 'exists' && op !== 'does not exist';
  const complete = field.trim() !== '' && (!needsValue || (listsValues(op) ? values.length > 0 : value !== ''));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!complete) return; // as Kibana's Save is off until the filter is whole
    const name = field.trim();
    if (!isQueryableField(name)) {
      setProblem(`"${name}" is not a field name: letters, digits and . _ - / @ only`);
      fieldBox.current?.focus();
      return;
    }
    onAdd(listsValues(op) ? { field: name, op, value: '', values } : { field: name, op, value: needsValue ? value : '' });
    close();
  };
  return (
    <div className="add-filter">
      <button
        type="button"
        ref={button}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          if (!open) {
            setField('');
            setOp('is');
            setValue('');
            setProblem(null);
          }
          setOpen(!open);
        }}
      >
        + Add filter
      </button>
      {open && (
        <form
          ref={form}
          className="add-filter-form"
          role="dialog"
          aria-label="Add filter"
          onSubmit={submit}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            close();
          }}
        >
          <label>
            Field
            <input
              ref={fieldBox}
              aria-label="Field"
              list={listId}
              value={field}
              autoFocus
              spellCheck={false}
              onChange={(e) => {
                setField(e.target.value);
                setProblem(null);
              }}
            />
            <datalist id={listId}>
              {fieldNames.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          </label>
          <label>
            Operator
            <select aria-label="Operator" value={op} onChange={(e) => setOp(e.target.value as FilterOp)}>
              {OPERATORS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </label>
          {needsValue && (
            <label>
              {listsValues(op) ? 'Values' : 'Value'}
              <input aria-label={listsValues(op) ? 'Values, separated by commas' : 'Value'} value={value} onChange={(e) => setValue(e.target.value)} />
            </label>
          )}
          {problem && (
            <p className="error" role="alert">
              {problem}
            </p>
          )}
          <span className="add-filter-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" disabled={!complete} title={complete ? undefined : needsValue ? 'Name a field and a value' : 'Name a field'}>
              Add
            </button>
          </span>
        </form>
      )}
    </div>
  );
}
