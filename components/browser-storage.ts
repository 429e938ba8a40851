// localStorage where the browser lets the page have it. A browser that blocks site data throws on
// any use of it, and a throw while rendering took the whole page down: preferences and history
// then live for the page's lifetime only.

export function readStored(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Blocked or full: kept in the page only.
  }
}
