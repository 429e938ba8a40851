'use client';
// Every field of the current result, grouped and searchable. A field opens its five most frequent
// values with their count and share of hits, each to filter for or out; the field itself can be
// required to exist or shown as a table column.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { inertAround } from './dismiss';
import { FIELDS_EVERY_ENTRY_HAS, type FilterClause } from '@/common/query-text';
import { FieldItem } from './field-item';
import { useStoreIsEmpty } from './empty-store';
import { askable, fieldsOptions, type SearchKey } from './queries';
import { TryAgain } from './try-again';

/** Where the field list is a drawer (globals.css). */
const DRAWER_MEDIA = '(max-width: 900px)';

interface Props {
  searchKey: SearchKey;
  /** Whether the search's first page is in: the list is read after it, so the rows come first. */
  ready: boolean;
  columns: string[];
  onFilter: (filter: FilterClause) => void;
  onToggleColumn: (field: string) => void;
  onVisualize: (field: string) => void;
  /** On a narrow screen the list is a drawer: open or not, and how to close it. */
  drawerOpen: boolean;
  onCloseDrawer: () => void;
}

export const FieldList = memo(function FieldList({ searchKey, ready, columns, onFilter, onToggleColumn, onVisualize, drawerOpen, onCloseDrawer }: Props) {
  // The last list stays, dimmed, until the new one is in: it does not collapse and regrow per search.
  const fields = useQuery({ ...fieldsOptions(searchKey), enabled: ready ? askable : false, placeholderData: keepPreviousData });
  const [search, setSearch] = useState('');
  const storeEmpty = useStoreIsEmpty();
  const [open, setOpen] = useState<string | null>(null);
  const toggleOpen = useCallback((name: string) => setOpen((current) => (current === name ? null : name)), []);
  // On a narrow screen the list is a drawer over the page: modal while open, as the surrounding
  // lines are (context-view.tsx): the focus goes in, the page behind is out of reach, Escape
  // closes it and the focus goes back to what opened it.
  const drawer = useRef<HTMLElement>(null);
  const backdrop = useRef<HTMLButtonElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!drawerOpen || !drawer.current) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const release = inertAround(drawer.current, [backdrop.current]);
    searchBox.current?.focus();
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && onCloseDrawer();
    document.addEventListener('keydown', escape);
    // Widened past the drawer's breakpoint (a tablet turned), the list is a sidebar again: the
    // drawer closes, or the page would stay inert behind a drawer no longer shown as one.
    const narrow = window.matchMedia(DRAWER_MEDIA);
    const widened = () => !narrow.matches && onCloseDrawer();
    narrow.addEventListener('change', widened);
    widened();
    return () => {
      narrow.removeEventListener('change', widened);
      document.removeEventListener('keydown', escape);
      release();
      opener?.focus();
    };
  }, [drawerOpen, onCloseDrawer]);
  const groups = useMemo(() => {
    const all = (fields.data?.fields ?? []).filter((f) => f.name.toLowerCase().includes(search.toLowerCase()));
    return [
      { title: 'Kubernetes', fields: all.filter((f) => FIELDS_EVERY_ENTRY_HAS.includes(f.name)) },
      { title: 'Labels', fields: all.filter((f) => f.name.startsWith('labels.')) },
      { title: 'Message fields', fields: all.filter((f) => !FIELDS_EVERY_ENTRY_HAS.includes(f.name) && !f.name.startsWith('labels.')) },
    ].filter((g) => g.fields.length > 0);
  }, [fields.data, search]);

  return (
    <>
    <button type="button" ref={backdrop} className={drawerOpen ? 'drawer-backdrop open' : 'drawer-backdrop'} aria-hidden="true" tabIndex={-1} onClick={onCloseDrawer} />
    <aside
      ref={drawer}
      className={`field-list${drawerOpen ? ' open' : ''}${fields.isPlaceholderData ? ' stale' : ''}`}
      aria-label="Fields"
      aria-busy={fields.isFetching || fields.isPlaceholderData || undefined}
      data-testid="field-list"
    >
      <button type="button" className="drawer-close" onClick={onCloseDrawer}>
        Close
      </button>
      <input ref={searchBox} aria-label="Search field names" placeholder="Search fields" value={search} onChange={(e) => setSearch(e.target.value)} />
      {(fields.isPending || fields.isPlaceholderData) && <p className="muted">Reading fields…</p>}
      {fields.isError && (
        <p className="error">
          Cannot list fields: {fields.error.message}{' '}
          <TryAgain error={fields.error} onRetry={() => void fields.refetch()} />
        </p>
      )}
      {fields.data?.sampleSize !== undefined && fields.data.sampleSize < fields.data.total && (
        <p className="muted small">Message fields counted over the newest {fields.data.sampleSize.toLocaleString()} hits.</p>
      )}
      {fields.data && !fields.isPlaceholderData && groups.length === 0 && (
        <p className="muted" data-testid="no-fields">
          {fields.data.total === 0 ? (storeEmpty ? 'Nothing stored yet, so no fields.' : 'No hits, so no fields: widen the time range or the query.') : search ? `No field name contains “${search}”.` : 'These hits have no fields.'}
        </p>
      )}
      {groups.map((group) => (
        <section key={group.title}>
          <h3>{group.title}</h3>
          <ul>
            {group.fields.map((field) => (
              <FieldItem
                key={field.name}
                searchKey={open === field.name ? searchKey : null}
                ready={open === field.name && ready}
                onVisualize={onVisualize}
                field={field}
                total={field.sampled ? fields.data!.sampleSize : fields.data!.total}
                open={open === field.name}
                isColumn={columns.includes(field.name)}
                onOpen={toggleOpen}
                onFilter={onFilter}
                onToggleColumn={onToggleColumn}
              />
            ))}
          </ul>
        </section>
      ))}
    </aside>
    </>
  );
});
