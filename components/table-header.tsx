'use client';
// The table's header: time sorts newest or oldest first; a field column can be moved, removed and
// resized (drag its right edge, or focus the edge and use ← →). A drag redraws locally and
// commits one width when released, so the URL is written once per drag, not once per pixel; a
// width replaces the URL's history entry rather than adding one (Discover's update).
import { type PointerEvent, useLayoutEffect, useRef, useState } from 'react';
import { COLUMN_WIDTH } from './view-state';

interface Props {
  columns: string[];
  widths: Record<string, number>;
  order: 'desc' | 'asc';
  onOrder: (order: 'desc' | 'asc') => void;
  onColumns: (columns: string[]) => void;
  onWidth: (column: string, width: number) => void;
}

const KEYBOARD_STEP_PX = 16;

function clampWidth(width: number): number {
  return Math.round(Math.min(COLUMN_WIDTH.max, Math.max(COLUMN_WIDTH.min, width)));
}

export function TableHeader({ columns, widths, order, onOrder, onColumns, onWidth }: Props) {
  const [dragging, setDragging] = useState<{ column: string; width: number } | null>(null);
  /** Widths of the columns never resized, as the browser laid them out. */
  const [laidOut, setLaidOut] = useState<Record<string, number>>({});
  const measure = (column: string, resizer: HTMLElement | null) => {
    const th = resizer?.parentElement;
    if (!th || widths[column] !== undefined) return;
    const measured = Math.round(th.getBoundingClientRect().width);
    if (laidOut[column] !== measured) setLaidOut((before) => ({ ...before, [column]: measured }));
  };
  const width = (column: string) => (dragging?.column === column ? dragging.width : widths[column]);
  // A header button pressed from the keyboard moves its column, goes disabled at the edge or goes
  // with its column, and each of those dropped the focus to the page: it is put back on the
  // button that goes on with the work, once the columns are redrawn.
  const head = useRef<HTMLTableSectionElement>(null);
  const focusNext = useRef<string[] | null>(null);
  useLayoutEffect(() => {
    const labels = focusNext.current;
    const thead = head.current;
    focusNext.current = null;
    // Only where the focus was lost or is still here: not taken from wherever the reader went since.
    if (!labels || !thead || (document.activeElement !== document.body && !thead.contains(document.activeElement))) return;
    const buttons = [...thead.querySelectorAll<HTMLButtonElement>('button')];
    const target = labels.map((label) => buttons.find((b) => !b.disabled && b.getAttribute('aria-label') === label)).find(Boolean);
    (target ?? thead.querySelector<HTMLButtonElement>('button.sort'))?.focus();
  }, [columns]);
  const move = (i: number, by: -1 | 1) => {
    const next = [...columns];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    const c = columns[i];
    focusNext.current = [`Move ${c} ${by < 0 ? 'left' : 'right'}`, `Move ${c} ${by < 0 ? 'right' : 'left'}`];
    onColumns(next);
  };
  const remove = (i: number) => {
    focusNext.current = [columns[i + 1], columns[i - 1]].filter((c) => c !== undefined).map((c) => `Remove ${c} column`);
    onColumns(columns.filter((_, j) => j !== i));
  };

  const resizer = (column: string, label: string) => {
    const begin = (e: PointerEvent<HTMLSpanElement>) => {
      const th = e.currentTarget.parentElement!;
      const start = { x: e.clientX, width: th.getBoundingClientRect().width };
      e.currentTarget.setPointerCapture(e.pointerId);
      e.preventDefault();
      const onMove = (ev: globalThis.PointerEvent) => setDragging({ column, width: clampWidth(start.width + ev.clientX - start.x) });
      const onUp = (ev: globalThis.PointerEvent) => {
        window.removeEventListener('pointermove', onMove);
        window.removeEventListener('pointerup', onUp);
        setDragging(null);
        if (ev.clientX !== start.x) onWidth(column, clampWidth(start.width + ev.clientX - start.x));
      };
      window.addEventListener('pointermove', onMove);
      window.addEventListener('pointerup', onUp);
    };
    return (
      <span
        className="col-resizer"
        role="separator"
        aria-orientation="vertical"
        aria-label={`Resize ${label}`}
        // A focusable separator is a value (WAI-ARIA): before any resize, the width as laid out.
        aria-valuenow={width(column) ?? laidOut[column]}
        aria-valuemin={COLUMN_WIDTH.min}
        aria-valuemax={COLUMN_WIDTH.max}
        // Measured once, and again on focus, where it is read: not on every render of the table.
        ref={(element) => {
          if (laidOut[column] === undefined) measure(column, element);
        }}
        onFocus={(e) => measure(column, e.currentTarget)}
        tabIndex={0}
        onPointerDown={begin}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
          e.preventDefault();
          const current = e.currentTarget.parentElement!.getBoundingClientRect().width;
          onWidth(column, clampWidth(current + (e.key === 'ArrowRight' ? KEYBOARD_STEP_PX : -KEYBOARD_STEP_PX)));
        }}
      />
    );
  };

  return (
    <thead ref={head}>
      <tr>
        <th className="col-time" style={{ width: width('time') }} aria-sort={order === 'desc' ? 'descending' : 'ascending'}>
          <button
            type="button"
            className="sort"
            title={order === 'desc' ? 'Newest first; click for oldest first' : 'Oldest first; click for newest first'}
            onClick={() => onOrder(order === 'desc' ? 'asc' : 'desc')}
          >
            Time {order === 'desc' ? '↓' : '↑'}
          </button>
          {resizer('time', 'the time column')}
        </th>
        <th className="col-source" style={{ width: width('source') }}>
          Source
          {resizer('source', 'the source column')}
        </th>
        <th className="col-level" style={{ width: width('level') }}>
          Level
        </th>
        {columns.map((c, i) => (
          <th key={c} className="col-field" style={{ width: width(c) }} data-testid="column-header" data-column={c}>
            <span className="col-name" title={c}>{c}</span>
            <span className="col-actions">
              <button type="button" aria-label={`Move ${c} left`} title="Move left" disabled={i === 0} onClick={() => move(i, -1)}>←</button>
              <button type="button" aria-label={`Move ${c} right`} title="Move right" disabled={i === columns.length - 1} onClick={() => move(i, 1)}>→</button>
              <button type="button" aria-label={`Remove ${c} column`} title="Remove column" onClick={() => remove(i)}>×</button>
            </span>
            {resizer(c, `the ${c} column`)}
          </th>
        ))}
        <th>Message</th>
      </tr>
    </thead>
  );
}
