// Lines for a spec, sent through the real ingest route. Each call gets its own source and file,
// so specs never collide; `marker` gives each spec words no other spec writes.
import { randomUUID } from 'node:crypto';
import { batch, lines, sourceMeta } from '../server/testing/batches';
import type { SourceMeta } from '../common/ingest-batch';

/** The server of this worker's slot (e2e/global-setup.ts starts one per worker). */
export function serverUrl(): string {
  const urls = (process.env.LOGPOND_E2E_URLS ?? '').split(' ').filter(Boolean);
  if (urls.length === 0) throw new Error('LOGPOND_E2E_URLS is unset: run the browser tests through playwright.config.ts');
  return urls[Number(process.env.TEST_PARALLEL_INDEX ?? 0) % urls.length];
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
