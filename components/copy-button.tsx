'use client';
// A Copy button that says whether it copied. navigator.clipboard exists only in a secure context
// (HTTPS, or loopback): served over plain HTTP on a cluster address, the page has none, and Copy
// did nothing at all. There the text goes through a selection and the older copy command.
import { useEffect, useState } from 'react';

const SHOWN_MS = 1_500;

/** Copies `text`; answers whether it is on the clipboard. */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, page not focused): the selection may still do.
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const focused = document.activeElement as HTMLElement | null;
  document.body.append(area);
  area.select();
  try {
    return document.execCommand('copy');
  } catch {
    return false;
  } finally {
    area.remove();
    focused?.focus();
  }
}

export function CopyButton({ text, label = 'Copy', title }: { text: string | (() => string); label?: string; title?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      title={state === 'failed' ? 'The browser did not allow copying: select the text and press Ctrl+C' : title}
      onClick={() => void copyText(typeof text === 'function' ? text() : text).then((ok) => setState(ok ? 'copied' : 'failed'))}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : label}
    </button>
  );
}
