'use client';
// One hit in the table: time, a compact source label, a level badge, chosen columns and the
// message; a click opens its details. Log text is hostile input: it is only ever rendered as
// React text.
import { memo, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { FilterClause } from '@/common/query-text';
import type { Hit, SourceInfo } from '@/common/read-api';
import { fieldValue } from '@/common/field-value';
import { HitDetails } from './hit-details';
import { messageParts, MessageText } from './message-text';
import { MiddleEllipsis } from './middle-ellipsis';
import { formatInZone, useTimeZone } from './time-zone';

/** Longer messages are cut in the table (a 1 MB line must not stall the page); "show all" opens them. */
const PREVIEW_CHARS = 2_000;
/** A press that moved further than this before its release was a drag (selecting text), not a click. */
const DRAG_PX = 4;
/** Room left of a match scrolled into view, so the words before it give it context. */
const MATCH_LEAD_PX = 48;

interface RowProps {
  measure?: (id: string, element: HTMLElement | null) => (() => void) | undefined;
  hit: Hit;
  source: SourceInfo | undefined;
  terms: string[];
  columns: string[];
  /** Whether long lines wrap; on one line, the first match is scrolled into the cell. */
  wrap?: boolean;
  /** A filter from the line's details, with the line's id. */
  onFilter?: (filter: FilterClause, id: string) => void;
  onToggleColumn?: (field: string) => void;
  onContext?: (hit: Hit) => void;
  marked?: boolean;
  /** The text Find in results found in this row (the marked one). */
  foundText?: string;
  /**
   * Whether the row is open, and its message shown whole: kept by the table, as a row scrolled
   * out of sight is not rendered, and must come back as it was left.
   */
  open?: boolean;
  full?: boolean;
  onOpen?: (id: string, open: boolean) => void;
  onFull?: (id: string) => void;
  /** Whether Tab stops on the row; a table gives one row the stop, and ↓ ↑ walk the rest. */
  tabStop?: boolean;
}

/** Memoized: live tail prepends rows many times a second, and the rows below do not change. */
export const HitRow = memo(function HitRow(props: RowProps) {
  const { hit, source, terms, columns, wrap, onFilter, onToggleColumn, onContext, marked, measure } = props;
  const zone = useTimeZone();
  // Its own state where no table keeps it (a context view's rows).
  const [ownOpen, setOwnOpen] = useState(false);
  const [ownFull, setOwnFull] = useState(false);
  const open = props.onOpen ? (props.open ?? false) : ownOpen;
  const full = props.onFull ? (props.full ?? false) : ownFull;
  const setOpen = (next: boolean) => (props.onOpen ? props.onOpen(hit.id, next) : setOwnOpen(next));
  const setFull = () => (props.onFull ? props.onFull(hit.id) : setOwnFull(true));
  const cell = useRef<HTMLTableCellElement>(null);
  const pressedAt = useRef<{ x: number; y: number } | null>(null);
  const { foundText } = props;
  const { parts, cut } = useMemo(() => {
    const whole = messageParts(hit);
    // What Find in results is on, first found past the preview, shows with the whole line: cut
    // there, the row was marked as found with nothing in it marked.
    const at = foundText ? whole.text.toLowerCase().indexOf(foundText.toLowerCase()) : -1;
    const shorten = !full && whole.text.length > PREVIEW_CHARS && !(at >= 0 && at + foundText!.length > PREVIEW_CHARS);
    return { parts: shorten ? { ...whole, text: whole.text.slice(0, PREVIEW_CHARS) } : whole, cut: shorten };
  }, [hit, full, foundText]);
  const label = source ? `${source.namespace}/${source.pod}/${source.container}` : hit.source;

  useLayoutEffect(() => {
    const td = cell.current;
    if (!td) return;
    // Touch layout only where there is something to do: a scrollLeft write or a size read forces
    // a layout, and fifty rows doing it one after another made a search's render visibly slower.
    if (td.classList.contains('shifted')) {
      td.classList.remove('shifted');
      td.scrollLeft = 0;
    }
    // The text Find in results is on, where this is its row: the query's own marks may come first.
    const wanted = foundText?.toLowerCase();
    const marks = [...td.querySelectorAll('mark')];
    const mark = (wanted ? marks.find((m) => m.textContent?.toLowerCase().includes(wanted)) : undefined) ?? marks[0];
    if (wrap || open || !mark || td.scrollWidth <= td.clientWidth) return;
    const left = mark.getBoundingClientRect().left - td.getBoundingClientRect().left;
    if (left + mark.offsetWidth <= td.clientWidth) return;
    // Clip, not ellipsis, first: Chromium does not paint the glyphs past an ellipsis, even once
    // they are scrolled into view.
    td.classList.add('shifted');
    td.scrollLeft = left - MATCH_LEAD_PX;
  }, [parts, terms, wrap, open, foundText]);

  return (
    <tbody className="hit-group" ref={(element) => measure?.(hit.id, element)}>
      <tr
        className={`hit${open ? ' open' : ''}${marked ? ' marked' : ''}`}
        data-testid="hit-row"
        data-hit-id={hit.id}
        tabIndex={props.tabStop === false ? -1 : 0}
        aria-expanded={open}
        onMouseDown={(e) => (pressedAt.current = { x: e.clientX, y: e.clientY })}
        onClick={(e) => {
          // A drag across the row selects text to copy: not a click on it. A double click selects a
          // word, so its second click takes back what the first did; a third selects the line.
          const press = pressedAt.current;
          const dragged = press !== null && Math.hypot(e.clientX - press.x, e.clientY - press.y) > DRAG_PX;
          if (!dragged && e.detail <= 2) setOpen(!open);
        }}
        onKeyDown={(e) => {
          if (e.target !== e.currentTarget) return;
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            setOpen(!open);
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            rowAfter(e.currentTarget, e.key === 'ArrowDown')?.focus();
          }
        }}
      >
        <td className="col-time mono">{formatInZone(Date.parse(hit.ts), zone)}.{hit.ts.slice(20, 23)}</td>
        <td className="col-source" title={label}>
          {source ? `${source.namespace}/${shortPod(source.pod)}/${source.container}` : hit.source}
        </td>
        <td className="col-level">
          <span className={`badge level-${hit.level}`}>{hit.level}</span>
        </td>
        {columns.map((c) => {
          const value = fieldValue(hit, source, c);
          return (
            <td key={c} className="col-field mono" title={value}>
              {value === undefined ? '—' : <MiddleEllipsis text={value} />}
            </td>
          );
        })}
        <td className="message mono" data-testid="hit-message" ref={cell}>
          <MessageText parts={parts} terms={terms} />
          {cut && (
            <button
              type="button"
              className="link"
              onClick={(e) => {
                e.stopPropagation();
                // The button goes once the line is whole: the focus stays on its row, not the page.
                e.currentTarget.closest<HTMLElement>('[data-testid=hit-row]')?.focus({ preventScroll: true });
                setFull();
                setOpen(true); // an open row wraps: one unbroken line of a megabyte takes the browser seconds to lay out
              }}
            >
              … show all ({hit.message.length.toLocaleString()} characters)
            </button>
          )}
          {hit.truncated && <span className="muted"> [cut by the collector]</span>}
        </td>
      </tr>
      {open && (
        <tr className="hit-details" data-testid="hit-details">
          <td colSpan={4 + columns.length}>
            <HitDetails hit={hit} source={source} columns={columns} onFilter={onFilter && ((filter) => onFilter(filter, hit.id))} onToggleColumn={onToggleColumn} onContext={onContext} />
          </td>
        </tr>
      )}
    </tbody>
  );
});

/** `checkout-7d9f8b6c5-x2k4p` → `checkout-…x2k4p`: the table shows the part that tells pods apart. */
function shortPod(pod: string): string {
  const m = /^(.*)-[a-z0-9]{8,10}-([a-z0-9]{5})$/.exec(pod);
  return m ? `${m[1]}-…${m[2]}` : pod;
}

/** The row ↓ (or ↑) moves to from `row`. */
function rowAfter(row: HTMLElement, down: boolean): HTMLElement | undefined {
  // Within its own table: the context dialog's rows are not the page's behind it.
  const table = row.closest('table');
  const rows = [...(table ?? document).querySelectorAll<HTMLElement>('[data-testid=hit-row]')];
  // A row scrolled far out of view (kept rendered for its focus) goes on from the rows in view,
  // where the reader is, rather than pulling the page back to it. In view means below the sticky
  // header: a row under it is scrolled to the middle when focused.
  const below = Math.max(0, table?.querySelector('thead')?.getBoundingClientRect().bottom ?? 0);
  const here = row.getBoundingClientRect();
  if (here.bottom <= below || here.top >= window.innerHeight) {
    const shown = rows.filter((r) => {
      const { top, bottom } = r.getBoundingClientRect();
      return top >= below && bottom <= window.innerHeight;
    });
    if (shown.length > 0) return shown[down ? 0 : shown.length - 1];
  }
  return rows[rows.indexOf(row) + (down ? 1 : -1)];
}
