// Regex text for the query language's literals and wildcards, shared by every engine's compiler:
// RE2 (DuckDB's regexp functions, ClickHouse's match) reads both alike.

/** Every ASCII punctuation character escaped: RE2 reads `\` before any of them as the character itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[!-\/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** The RE2 body matching `text` with `*` as any run of characters and `?` as any one (under `s`). */
export function wildcardRegex(text: string): string {
  return text
    .split(/([*?])/)
    .map((part) => (part === '*' ? '.*' : part === '?' ? '.' : escapeRegex(part)))
    .join('');
}
