import 'server-only';
import { authConfig } from '@/server/auth/auth-config';
import { loadServerConfig } from '@/server/config';
import { StorageUnavailableError } from '@/server/errors';
import { Runtime } from '@/server/runtime';

// One runtime per process, memoized on globalThis: Next re-evaluates modules in dev and bundles
// route handlers separately, and DuckDB must not open the same file twice.
const KEY = Symbol.for('logpond.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as Holder;
  holder[KEY] ??= startRuntime().catch((err: Error) => {
    delete holder[KEY]; // let the next request try again
    console.error(`logpond: cannot open the store: ${err.message}`);
    throw new StorageUnavailableError(`the store cannot be opened: ${err.message}`);
  });
  return holder[KEY];
}

/** The auth config is read only here, at start: ingest and health routes pass no gate and must not depend on it per request. */
async function startRuntime(): Promise<Runtime> {
  const auth = authConfig();
  return Runtime.start(loadServerConfig(), auth.users.size > 0 ? auth.endedSessions : undefined);
}

/** For graceful shutdown: the runtime if one was started, without starting one. */
export function startedRuntime(): Promise<Runtime> | undefined {
  return (globalThis as Holder)[KEY];
}
