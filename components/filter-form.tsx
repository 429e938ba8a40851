'use client';
// A filter as a field, an operator and a value (or values separated by commas), as Kibana's filter
// editor has: for + Add filter, and for a pill's Edit filter, which opens it on the filter as it
// is. The field box offers the result's fields. Enter submits, Escape or a press elsewhere leaves.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react';
import { type FilterClause, type FilterOp, isQueryableField, listsValues } from '@/common/query-text';
import { askable, fieldsOptions, type SearchKey } from './queries';

/** Asked for nothing: without a valid range there is no result to take fields from. */
const NO_RESULT: SearchKey = { q: '', fromMs: 0, toMs: 0 };
const OPERATORS: readonly FilterOp[] = ['is', 'is not', 'is one of', 'is not one of', 'exists', 'does not exist'];

interface Props {
  /** The result shown: its fields are offered (the field list's own query, so no second read). */
  searchKey: SearchKey | null;
  /** The filter being edited; none for a new one. */
  initial?: FilterClause;
  /** The dialog's name and its submit button's. */
  title: string;
  submitLabel: string;
  onSubmit: (filter: FilterClause) => void;
  /** Escape or Cancel (`true`: the focus goes back where it came from), or a press elsewhere. */
  onClose: (refocus: boolean) => void;
  /** What a press may land on without closing the form (the button that toggles it). */
  inside?: RefObject<HTMLElement | null>;
}

export function FilterForm({ searchKey, initial, title, submitLabel, onSubmit, onClose, inside }: Props) {
  // Mounted only while open: the fields are asked for only then.
  const fields = useQuery({ ...fieldsOptions(searchKey ?? NO_RESULT), enabled: searchKey ? askable : false, placeholderData: keepPreviousData });
  const fieldNames = (fields.data?.fields ?? []).map((f) => f.name).filter(isQueryableField);
  const listId = useId();
  const [field, setField] = useState(initial?.field ?? '');
  const [op, setOp] = useState<FilterOp>(initial?.op ?? 'is');
  const [value, setValue] = useState(initial ? (listsValues(initial.op) ? (initial.values ?? []).join(', ') : initial.value) : '');
  const [problem, setProblem] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const fieldBox = useRef<HTMLInputElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const outside = (e: MouseEvent) => {
      if (!(e.target instanceof Node && (form.current?.contains(e.target) || inside?.current?.contains(e.target)))) closeRef.current(false);
    };
    window.addEventListener('mousedown', outside);
    return () => window.removeEventListener('mousedown', outside);
  }, [inside]);
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
    onSubmit(listsValues(op) ? { field: name, op, value: '', values } : { field: name, op, value: needsValue ? value : '' });
  };
  return (
    <form
      ref={form}
      className="filter-form"
      role="dialog"
      aria-label={title}
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onClose(true);
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
      <span className="filter-form-actions">
        <button type="button" onClick={() => onClose(true)}>
          Cancel
        </button>
        <button type="submit" disabled={!complete} title={complete ? undefined : needsValue ? 'Name a field and a value' : 'Name a field'}>
          {submitLabel}
        </button>
      </span>
    </form>
  );
}
