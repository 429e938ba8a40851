// Finds the log files to follow. chokidar only discovers paths; it does not read: the tailers
// find rotation and truncation themselves, which chokidar reports inconsistently (a rename
// within its `atomic` window arrives as `change`, not as unlink + add).
import fs from 'node:fs';
import { watch, type FSWatcher } from 'chokidar';

/** How often a log directory that does not exist yet is looked for. */
export const MISSING_DIR_POLL_MS = 1_000;

export interface DiscoveryHandlers {
  onAdd: (path: string) => void;
  onRemove: (path: string) => void;
  /** A followed file changed: a hint to read soon, not a requirement (tailers also poll). */
  onChange?: (path: string) => void;
  onError?: (err: unknown) => void;
}

export interface Discovery {
  /** True once the initial scan has reported every existing file; false if closed before that. */
  ready: Promise<boolean>;
  close(): Promise<void>;
}

export function isLogFile(path: string): boolean {
  return path.endsWith('.log');
}

export function startDiscovery(dir: string, handlers: DiscoveryHandlers): Discovery {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let markReady: (scanned: boolean) => void = () => undefined;
  const ready = new Promise<boolean>((resolve) => {
    markReady = resolve;
  });

  const begin = () => {
    watcher = watch(dir, {
      // The kubelet's directory is flat: one symlink per container into /var/log/pods.
      depth: 0,
      // Follow those symlinks: the watched path is the link, the bytes are in the target.
      followSymlinks: true,
      ignoreInitial: false,
      ignored: (path, stats) => !!stats?.isFile() && !isLogFile(path),
    });
    watcher.on('add', (path) => {
      if (isLogFile(path)) handlers.onAdd(path);
    });
    watcher.on('unlink', (path) => {
      if (isLogFile(path)) handlers.onRemove(path);
    });
    watcher.on('change', (path) => handlers.onChange?.(path));
    watcher.on('error', (err) => handlers.onError?.(err));
    watcher.once('ready', () => markReady(true));
  };

  // chokidar reports a directory created after watch() began, but not the files inside it.
  if (fs.existsSync(dir)) {
    begin();
  } else {
    timer = setInterval(() => {
      if (closed || !fs.existsSync(dir)) return;
      clearInterval(timer);
      begin();
    }, MISSING_DIR_POLL_MS);
  }

  return {
    ready,
    close: async () => {
      closed = true;
      clearInterval(timer);
      markReady(false);
      await watcher?.close();
    },
  };
}
