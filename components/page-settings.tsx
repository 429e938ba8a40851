'use client';
// The topbar's right side: time zone and theme (the user's own, see preferences.ts), and the
// keyboard shortcuts (`?` opens them from anywhere but a text box).
import { useEffect, useMemo, useRef, useState } from 'react';
import { inertAround } from './dismiss';
import type { Preferences, Theme } from './preferences';
import { browserZone } from './time-zone';

const SHORTCUTS: [string, string][] = [
  ['/', 'Focus the search box'],
  ['Enter', 'Search (in the search box)'],
  ['↓ ↑', 'Move through suggestions; from the search box with no suggestions, ↓ goes to the first row'],
  ['Tab', 'Take the highlighted (or first) suggestion of what was typed; from an empty box, move on'],
  ['Esc', 'Close suggestions, a dialog or this help'],
  ['↓ ↑ on a row', 'Previous or next row (Tab leaves the rows, and comes back to the row last on)'],
  ['Enter or Space on a row', 'Open or close the row'],
  ['Ctrl+F or ⌘F', 'Find in the loaded results'],
  ['Enter, Shift+Enter (in find)', 'Next or previous match'],
  ['← → Home End on the tabs', 'Documents or Patterns'],
  ['← → on a column edge', 'Make the column narrower or wider'],
  ['?', 'Show these shortcuts'],
];

interface Props {
  preferences: Preferences;
  onChange: (change: Partial<Preferences>) => void;
}

export function PageSettings({ preferences, onChange }: Props) {
  const [help, setHelp] = useState(false);
  // A modal, as the context view: the page behind is out of reach while it is open, and the
  // focus goes back where it was when it closes.
  const dialog = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(null);
  const openHelp = () => {
    opener.current = document.activeElement;
    setHelp(true);
  };
  useEffect(() => {
    if (!help || !dialog.current) return;
    const reachable = inertAround(dialog.current);
    return () => {
      reachable();
      if (opener.current instanceof HTMLElement) opener.current.focus();
    };
  }, [help]);
  const zones = useMemo(() => (typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []), []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '?' && !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && !target.isContentEditable && !document.querySelector('[aria-modal="true"]')) {
        e.preventDefault();
        openHelp();
      } else if (e.key === 'Escape') setHelp(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <span className="page-settings">
      <label>
        Time zone{' '}
        <select aria-label="Time zone" data-testid="time-zone" value={preferences.timeZone} onChange={(e) => onChange({ timeZone: e.target.value })}>
          <option value="browser">Browser ({browserZone()})</option>
          <option value="UTC">UTC</option>
          {preferences.timeZone !== 'browser' && preferences.timeZone !== 'UTC' && !zones.includes(preferences.timeZone) && (
            <option value={preferences.timeZone}>{preferences.timeZone}</option>
          )}
          {zones.filter((z) => z !== 'UTC').map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <label>
        Theme{' '}
        <select aria-label="Theme" data-testid="theme" value={preferences.theme} onChange={(e) => onChange({ theme: e.target.value as Theme })}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <button type="button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={openHelp}>
        ?
      </button>
      {help && (
        <div ref={dialog} className="context-backdrop" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" data-testid="shortcuts" onClick={() => setHelp(false)}>
          <div className="shortcuts-panel" onClick={(e) => e.stopPropagation()}>
            <header>
              <strong>Keyboard shortcuts</strong>
              <button type="button" onClick={() => setHelp(false)} autoFocus>
                Close
              </button>
            </header>
            <table>
              <tbody>
                {SHORTCUTS.map(([keys, what]) => (
                  <tr key={keys}>
                    <th>
                      <kbd>{keys}</kbd>
                    </th>
                    <td>{what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </span>
  );
}
