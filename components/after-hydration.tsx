'use client';
// Renders `children` only in the browser: `fallback` on the server and until hydration. Pages are
// rendered per request (the CSP nonce), and a server-rendered search box would look ready while
// it still ignores keys; the loading line until the scripts run is what the prerendered page
// showed before.
import { type ReactNode, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

export function AfterHydration({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const hydrated = useSyncExternalStore(subscribe, () => true, () => false);
  return hydrated ? children : fallback;
}
