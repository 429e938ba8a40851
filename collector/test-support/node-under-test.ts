// A node for the collector process's tests: a fresh directory of container logs per test, the
// collector's real entry point started on it, and everything stopped and removed afterwards.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { startCollectorProcess, type CollectorProcess } from './collector-process';
import { criLine, makeTempDir } from './temp-dir';

/** Container log names as the kubelet writes them: pod_namespace_container-id.log. */
export const CONTAINER_LOGS = ['web-1_shop_nginx-aaaa0001.log', 'web-2_shop_nginx-aaaa0002.log', 'api-0_payments_api-bbbb0003.log', 'worker-0_jobs_celery-cccc0004.log'];

export interface NodeUnderTest {
  /** The test's temp directory (the checkpoint is kept in it). */
  readonly dir: string;
  /** Where the container logs are. */
  readonly logDir: string;
  /** Starts the collector on the log directory, shipping to `serverUrl`. */
  collector(serverUrl: string): CollectorProcess;
}

/** Registers, around each test of the calling file, a node with its own log directory. */
export function nodeUnderTest(): NodeUnderTest {
  let temp: Awaited<ReturnType<typeof makeTempDir>>;
  const processes: CollectorProcess[] = [];
  beforeEach(async () => {
    temp = await makeTempDir();
    await fs.mkdir(path.join(temp.dir, 'containers'));
  });
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.kill()));
    await temp.remove();
  });
  return {
    get dir() {
      return temp.dir;
    },
    get logDir() {
      return path.join(temp.dir, 'containers');
    },
    collector(serverUrl: string) {
      const child = startCollectorProcess({
        LOGPOND_LOG_DIR: path.join(temp.dir, 'containers'),
        LOGPOND_SERVER_URL: serverUrl,
        LOGPOND_CHECKPOINT: path.join(temp.dir, 'checkpoint.json'),
        LOGPOND_NODE_NAME: 'node-1',
      });
      processes.push(child);
      return child;
    },
  };
}

/** `count` numbered lines of log `file`, padded to about `bytes` each. */
export function block(file: number, from: number, count: number, bytes = 100): string {
  const pad = 'x'.repeat(Math.max(0, bytes - 60));
  let text = '';
  for (let i = from; i < from + count; i++) text += criLine(`f${file} ${i} ${pad}`);
  return text;
}
