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
  const auth = authConfig();
  holder[KEY] ??= Runtime.start(loadServerConfig(), auth.users.size > 0 ? auth.endedSessions : undefined).catch((err: Error) => {
    delete holder[KEY]; // let the next request try again
    console.error(`logpond: cannot open the store: ${err.message}`);
    throw new StorageUnavailableError(`the store cannot be opened: ${err.message}`);
  });
  return holder[KEY];
}

/** For graceful shutdown: the runtime if one was started, without starting one. */
export function startedRuntime(): Promise<Runtime> | undefined {
  return (globalThis as Holder)[KEY];
}
