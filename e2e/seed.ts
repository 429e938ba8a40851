// Lines for a spec, sent through the real ingest route. Each call gets its own source and file,
// so specs never collide; `marker` gives each spec words no other spec writes.
import { randomUUID } from 'node:crypto';
import { batch, lines, sourceMeta } from '../server/testing/batches';
import type { SourceMeta } from '../common/ingest-batch';

export function serverUrl(): string {
  const url = process.env.LOGPOND_E2E_URL;
  if (!url) throw new Error('LOGPOND_E2E_URL is unset: run the browser tests through playwright.config.ts');
  return url;
}

export function marker(): string {
  return `m${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** Ingests `messages`, one a second up to now (the newest last), from one new container. */
export async function seed(messages: string[], source: Partial<SourceMeta> = {}): Promise<void> {
  const now = Date.now();
  await seedAt(messages.map((message, i) => ({ ts: new Date(now - (messages.length - i) * 1000).toISOString(), message })), source);
}

/** Ingests lines stamped as given, from one new container. */
export async function seedAt(stamped: { ts: string; message: string }[], source: Partial<SourceMeta> = {}): Promise<void> {
  const key = `e2e-${marker()}`;
  const entries = lines({ source: key, file: `${key}:1`, count: stamped.length, startMs: 0, message: (i) => stamped[i].message });
  entries.forEach((e, i) => (e.ts = stamped[i].ts));
  const response = await fetch(`${serverUrl()}/api/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(batch(entries, [sourceMeta(key, source)])),
  });
  if (!response.ok) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
}
