// The collector's pipeline, startable and stoppable in-process (main.ts and the tests use it):
// discovery → tail pool (round robin) → send lanes (a batcher and a shipper each) → checkpoint.
import { setImmediate } from 'node:timers/promises';
import type { MetadataProvider } from './meta/metadata-provider';
import { SourceCatalog } from './meta/source-catalog';
import { parseLogFileName } from './parse/file-name';
import { CheckpointError, errorMessage } from './errors';
import { silentLogger, type Logger } from './log';
import { CollectorMetrics } from './metrics';
import { Checkpoint, loadCheckpoint } from './ship/checkpoint';
import { IngestSender } from './ship/sender';
import { SendLanes } from './ship/send-lanes';
import { startDiscovery } from './tail/discovery';
import { FileTailer, FILE_RETRY_MS } from './tail/file-tailer';
import { TailPool } from './tail/tail-pool';
import { Notifier } from './util/notifier';

/** Idle files are looked at this often; chokidar's change events wake the reader sooner. */
export const POLL_INTERVAL_MS = 250;
/** On shutdown, buffered batches get this long to reach the server. */
export const FLUSH_TIMEOUT_MS = 5_000;

export interface CollectorOptions {
  logDir: string;
  ingestUrl: string;
  ingestToken?: string;
  nodeName: string;
  checkpointPath: string;
  maxLineBytes: number;
  /** Join plain-text stack traces into one entry; on unless false. */
  multiline?: boolean;
  /** Namespaces whose containers are read but not sent (LOGPOND_EXCLUDE_NAMESPACES). */
  excludeNamespaces?: readonly string[];
  metadata?: MetadataProvider;
  /** Shared with parts started beside the collector (the metadata watch counts its errors here). */
  metrics?: CollectorMetrics;
  log?: Logger;
  collectorId?: string;
  version?: string;
  /** Smaller values for tests; the defaults are the production ones. */
  tuning?: {
    pollIntervalMs?: number;
    batchMaxAgeMs?: number;
    batchMaxBytes?: number;
    chunkBytes?: number;
    retryBaseDelayMs?: number;
    retryMaxDelayMs?: number;
    flushTimeoutMs?: number;
    /** Batches of different files in flight at once (SEND_LANES). */
    sendLanes?: number;
  };
}

export interface Collector {
  metrics: CollectorMetrics;
  /** Resolves once the initial scan of logDir is done. */
  ready: Promise<void>;
  followed(): string[];
  /** Stops reading, flushes (bounded), saves the checkpoint; true when all was delivered. */
  stop(): Promise<boolean>;
}

export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const log = options.log ?? silentLogger;
  const tuning = options.tuning ?? {};
  const metrics = options.metrics ?? new CollectorMetrics();
  const checkpoint = await loadCheckpoint(options.checkpointPath).catch((err: unknown) => {
    if (!(err instanceof CheckpointError)) throw err;
    // Starting over resends lines the server already has; it drops them as duplicates.
    log.error(`${err.message}; starting without it`);
    metrics.countError('checkpoint');
    return new Checkpoint(options.checkpointPath);
  });
  const catalog = new SourceCatalog(options.nodeName, options.metadata, options.excludeNamespaces);

  const pool = new TailPool({
    chunkBytes: tuning.chunkBytes,
    createTailer: (path) =>
      new FileTailer({
        path,
        maxLineBytes: options.maxLineBytes,
        multiline: options.multiline ?? true,
        start: checkpoint.get(path),
        onError: (failed, kind, err, repeated) => {
          metrics.countError(kind);
          if (kind === 'file_binary') log.error(`${failed}: ${errorMessage(err)}`);
          else if (!repeated) log.error(`${failed}: ${errorMessage(err)}; trying again every ${FILE_RETRY_MS / 1000} s`);
        },
        onNotice: (message) => log.info(message),
        onLost: (path, bytes) => {
          metrics.lostBytes += bytes;
          log.error(`${path}: ${bytes} bytes went away before they could be read`);
        },
      }),
    onFinished: (path) => checkpoint.forget(path),
  });
  metrics.filesTailed = () => pool.size;
  metrics.fileLag = () => {
    const lag: Array<[string, number]> = [];
    for (const tailer of pool.tailers()) {
      const progress = tailer.progress;
      if (!progress) continue;
      const delivered = checkpoint.get(tailer.path);
      lag.push([tailer.path, Math.max(0, progress.size - (delivered?.file === progress.file ? delivered.offset : 0))]);
    }
    return lag;
  };

  const room = new Notifier();
  const activity = new Notifier();
  const sender = new IngestSender({
    url: options.ingestUrl,
    token: options.ingestToken,
    metrics,
    log,
    retryBaseDelayMs: tuning.retryBaseDelayMs,
    retryMaxDelayMs: tuning.retryMaxDelayMs,
    connections: tuning.sendLanes,
  });
  const lanes = new SendLanes(
    {
      collector: { id: options.collectorId ?? options.nodeName, node: options.nodeName, version: options.version },
      sourceFor: (path) => catalog.sourceFor(path),
      onExcluded: () => metrics.entriesExcluded++,
      maxAgeMs: tuning.batchMaxAgeMs,
      maxBytes: tuning.batchMaxBytes,
    },
    { sender, checkpoint, metrics, log, isFollowed: (path) => pool.has(path), onRoom: () => room.notify() },
    tuning.sendLanes,
  );
  lanes.start();

  // The first pod list decides what is excluded and what the first batches say of their pods;
  // it is bounded (an API server that does not answer delays nothing for long).
  await options.metadata?.ready;

  const discovery = startDiscovery(options.logDir, {
    onAdd: (path) => {
      if (pool.add(path) && !parseLogFileName(path).recognized) {
        metrics.countError('file_name');
        log.error(`${path}: not named <pod>_<namespace>_<container>-<id>.log; tailing it as namespace "unknown"`);
      }
      activity.notify();
    },
    onRemove: (path) => {
      pool.remove(path);
      activity.notify();
    },
    onChange: () => activity.notify(),
    onError: (err) => {
      metrics.countError('discovery');
      log.error(`watching ${options.logDir}: ${errorMessage(err)}`);
    },
  });
  const ready = discovery.ready.then((scanned) => {
    if (!scanned) return;
    // Only now is every existing file known; entries for paths that are gone can go.
    checkpoint.retainOnly(pool.paths());
    log.info(`following ${pool.size} log files in ${options.logDir}, sending to ${options.ingestUrl}`);
  });

  let stopping = false;
  const pollIntervalMs = tuning.pollIntervalMs ?? POLL_INTERVAL_MS;
  const pump = (async () => {
    let idleTurns = 0;
    while (!stopping) {
      if (!lanes.hasRoom) {
        // The server is slow or away: stop reading; the files keep the lines meanwhile.
        await room.wait();
        continue;
      }
      const turn = await pool.readTurn();
      metrics.linesRead += turn.lines;
      metrics.bytesRead += turn.bytes;
      for (const entry of turn.entries) lanes.add(entry);
      if (turn.entries.length > 0) lanes.notify();
      // A read settles without waiting on I/O (readSync), so without this the loop ran as one
      // chain of promises until the lanes were full: the server's answers, the next request's
      // socket and the health server's probes all waited for it, and the server sat idle.
      if (turn.bytes > 0) await setImmediate();
      idleTurns = turn.bytes > 0 || turn.entries.length > 0 ? 0 : idleTurns + 1;
      if (idleTurns >= Math.max(1, pool.size)) {
        idleTurns = 0;
        await activity.wait(pollIntervalMs);
      }
    }
  })().catch((err: unknown) => {
    // Tailers report their own failures; reaching this is a bug, so say so loudly.
    log.error(`reading stopped: ${(err as Error)?.stack ?? String(err)}`);
  });

  let stopped: Promise<boolean> | undefined;
  const stop = async (): Promise<boolean> => {
    stopping = true;
    room.notify();
    activity.notify();
    await discovery.close();
    await pump;
    const delivered = await lanes.stop(tuning.flushTimeoutMs ?? FLUSH_TIMEOUT_MS);
    try {
      await checkpoint.save();
    } catch (err) {
      metrics.countError('checkpoint');
      log.error(`cannot save the checkpoint ${checkpoint.filePath}: ${errorMessage(err)}`);
    }
    await pool.closeAll();
    sender.close();
    return delivered;
  };

  return {
    metrics,
    ready,
    followed: () => pool.paths(),
    stop: () => (stopped ??= stop()),
  };
}
