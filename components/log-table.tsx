'use client';
// The hits, newest first: time, a compact source label, a level badge and the message, matches
// highlighted. More pages load as the end comes into view, up to MAX_ROWS. A row expands into
// its fields and labels. Log text is hostile input: it is only ever rendered as React text.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { Hit, SourceInfo } from '@/common/read-api';
import { ApiError, MAX_ROWS, type SearchKey, searchOptions } from './queries';
import { formatLocal } from './time-picker';

/** Longer messages are cut in the table (a 1 MB line must not stall the page); "show all" opens them. */
const PREVIEW_CHARS = 2_000;

interface Props {
  searchKey: SearchKey;
  terms: string[];
  onError: (error: ApiError | Error | null) => void;
}

export function LogTable({ searchKey, terms, onError }: Props) {
  const search = useInfiniteQuery(searchOptions(searchKey));
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => onError(search.error), [search.error, onError]);

  const { hits, sources } = useMemo(() => {
    const pages = search.data?.pages ?? [];
    return {
      hits: pages.flatMap((p) => p.hits).slice(0, MAX_ROWS),
      sources: Object.assign({}, ...pages.map((p) => p.sources)) as Record<string, SourceInfo>,
    };
  }, [search.data]);

  useEffect(() => {
    const node = sentinel.current;
    if (!node) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && search.hasNextPage && !search.isFetchingNextPage) void search.fetchNextPage();
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, [search]);

  if (search.isPending) {
    return (
      <div className="table-skeleton" aria-busy="true" data-testid="loading">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="skeleton-row" />
        ))}
      </div>
    );
  }
  if (search.isError) {
    const error = search.error;
    return (
      <div className="empty error" role="alert" data-testid="search-error">
        {error instanceof ApiError && error.code === 'query_syntax' ? 'Fix the query above to search.' : `The search failed: ${error.message}`}
      </div>
    );
  }
  if (hits.length === 0) {
    return (
      <div className="empty" data-testid="empty">
        No lines match in this time range. Try a wider range (Last 24 hours) or fewer terms.
      </div>
    );
  }
  return (
    <div className="log-table" data-testid="log-table">
      <table>
        <thead>
          <tr>
            <th className="col-time">Time</th>
            <th className="col-source">Source</th>
            <th className="col-level">Level</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {hits.map((hit) => (
            <HitRow key={hit.id} hit={hit} source={sources[hit.source]} terms={terms} />
          ))}
        </tbody>
      </table>
      <div ref={sentinel} className="table-end muted" data-testid="table-end">
        {search.isFetchingNextPage
          ? 'Loading more…'
          : search.hasNextPage
            ? <button type="button" onClick={() => void search.fetchNextPage()}>Load more</button>
            : hits.length >= MAX_ROWS
              ? `Showing the newest ${MAX_ROWS.toLocaleString()} lines; narrow the range or the query to see older ones.`
              : 'End of results.'}
      </div>
    </div>
  );
}

function HitRow({ hit, source, terms }: { hit: Hit; source: SourceInfo | undefined; terms: string[] }) {
  const [open, setOpen] = useState(false);
  const [full, setFull] = useState(false);
  const message = full || hit.message.length <= PREVIEW_CHARS ? hit.message : hit.message.slice(0, PREVIEW_CHARS);
  const label = source ? `${source.namespace}/${source.pod}/${source.container}` : hit.source;
  return (
    <Fragment>
      <tr className={open ? 'hit open' : 'hit'} data-testid="hit-row" onClick={() => setOpen(!open)}>
        <td className="col-time mono">{formatLocal(Date.parse(hit.ts))}.{hit.ts.slice(20, 23)}</td>
        <td className="col-source" title={label}>
          {source ? `${source.namespace}/${shortPod(source.pod)}/${source.container}` : hit.source}
        </td>
        <td className="col-level">
          <span className={`badge level-${hit.level}`}>{hit.level}</span>
        </td>
        <td className="message mono" data-testid="hit-message">
          {highlight(message, terms)}
          {message.length < hit.message.length && (
            <button
              type="button"
              className="link"
              onClick={(e) => {
                e.stopPropagation();
                setFull(true);
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
          <td colSpan={4}>
            <HitDetails hit={hit} source={source} />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

function HitDetails({ hit, source }: { hit: Hit; source: SourceInfo | undefined }) {
  const rows: [string, string][] = [
    ['ts', hit.ts],
    ['stream', hit.stream],
    ['level', hit.level],
    ...(source
      ? ([
          ['namespace', source.namespace],
          ['pod', source.pod],
          ['container', source.container],
          ['node', source.node],
          ...Object.entries(source.labels).map(([k, v]) => [`labels.${k}`, v] as [string, string]),
        ] as [string, string][])
      : []),
    ...Object.entries(hit.fields).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]),
  ];
  const json = JSON.stringify({ ...hit, source }, null, 2);
  return (
    <div className="details">
      <table className="fields">
        <tbody>
          {rows.map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td className="mono">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>JSON</summary>
        <pre className="mono">{json}</pre>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(json)}>
          Copy JSON
        </button>
      </details>
    </div>
  );
}

/** `checkout-7d9f8b6c5-x2k4p` → `checkout-…x2k4p`: the table shows the part that tells pods apart. */
function shortPod(pod: string): string {
  const m = /^(.*)-[a-z0-9]{8,10}-([a-z0-9]{5})$/.exec(pod);
  return m ? `${m[1]}-…${m[2]}` : pod;
}

/** The message with each case-insensitive occurrence of a term in a <mark>, as React text nodes. */
export function highlight(text: string, terms: string[]): ReactNode {
  const wanted = terms.map((t) => t.toLowerCase()).filter((t) => t.length > 0);
  if (wanted.length === 0) return text;
  const lower = text.toLowerCase();
  const out: ReactNode[] = [];
  let at = 0;
  while (at < text.length) {
    let best = -1;
    let length = 0;
    for (const term of wanted) {
      const i = lower.indexOf(term, at);
      if (i !== -1 && (best === -1 || i < best || (i === best && term.length > length))) {
        best = i;
        length = term.length;
      }
    }
    if (best === -1) break;
    if (best > at) out.push(text.slice(at, best));
    out.push(<mark key={best}>{text.slice(best, best + length)}</mark>);
    at = best + length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
