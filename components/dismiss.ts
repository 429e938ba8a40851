// What popovers and drawers share, as a keyboard user expects of them: Escape closes them and the
// focus goes back to what opened them, a press elsewhere closes a popover, and a modal drawer
// keeps the page behind it out of reach.
import { type RefObject, useEffect } from 'react';

/**
 * While `open`: Escape (with the focus in `within` or on the page's body) calls `close` and gives
 * the focus to `trigger`; a press outside `within` calls `close`. `within` holds the trigger, so a
 * press on it toggles rather than closing and opening again.
 */
export function useDismiss(open: boolean, close: () => void, within: RefObject<HTMLElement | null>, trigger: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const key = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      const focus = document.activeElement;
      if (focus && focus !== document.body && !within.current?.contains(focus)) return;
      close();
      trigger.current?.focus();
    };
    const press = (e: MouseEvent) => {
      if (!within.current?.contains(e.target as Node)) close();
    };
    document.addEventListener('keydown', key);
    window.addEventListener('mousedown', press);
    return () => {
      document.removeEventListener('keydown', key);
      window.removeEventListener('mousedown', press);
    };
  }, [open, close, within, trigger]);
}

/** Makes everything but `element`, what holds it and `except` inert; answers how to undo that. */
export function inertAround(element: HTMLElement, except: readonly (HTMLElement | null)[] = []): () => void {
  const made: HTMLElement[] = [];
  for (let node: HTMLElement | null = element; node && node !== document.body; node = node.parentElement) {
    for (const sibling of node.parentElement?.children ?? []) {
      if (sibling !== node && sibling instanceof HTMLElement && !sibling.inert && !except.includes(sibling)) {
        sibling.inert = true;
        made.push(sibling);
      }
    }
  }
  return () => {
    for (const el of made) el.inert = false;
  };
}
