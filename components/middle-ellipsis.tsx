// A value cut in the middle when it does not fit, keeping its end: pod names, label values and
// ids differ at the end (`storefront-6c8d9f7b4-x7v2q`), so a cut end would make them all alike.
// The whole value stays the element's text (for copy and screen readers) and its tooltip.

/** Characters kept whole at the end: the last `-`, `/`, `.` or `:` part when short, else the last 10. */
export function tailOf(text: string): string {
  if (text.length <= 12) return '';
  const cut = Math.max(text.lastIndexOf('-'), text.lastIndexOf('/'), text.lastIndexOf('.'), text.lastIndexOf(':'));
  const part = cut >= 0 ? text.slice(cut) : '';
  return part.length >= 4 && part.length <= 16 ? part : text.slice(-10);
}

export function MiddleEllipsis({ text, className }: { text: string; className?: string }) {
  const tail = tailOf(text);
  return (
    <span className={className ? `mid-ellipsis ${className}` : 'mid-ellipsis'} title={text}>
      <span className="mid-head">{text.slice(0, text.length - tail.length)}</span>
      {tail && <span className="mid-tail">{tail}</span>}
    </span>
  );
}
