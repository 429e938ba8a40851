// `npm run collector`: follow the node's container logs (or demo logs on a laptop) and ship
// them to the Logpond server until SIGINT/SIGTERM.
import fs from 'node:fs';
import { startCollector } from './collector';
import { loadCollectorConfig, type CollectorConfig } from './config';
import { DEMO_PODS } from './demo/demo-pods';
import { startDemoWriter } from './demo/demo-writer';
import { ConfigError, errorMessage } from './errors';
import { startHealthServer } from './health-server';
import { stderrLogger } from './log';
import { startKubeMetadata, loadKubeConfig } from './meta/kube-metadata';
import { podListProvider, type MetadataProvider } from './meta/metadata-provider';
import { CollectorMetrics } from './metrics';

// Whatever reads the collector's output can go away: `npm run collector | head`, a crashed log
// shipper at the other end of a pipe. Its lines are then lost, not the logs it ships: unhandled,
// the EPIPE of the next write ended the process.
for (const output of [process.stdout, process.stderr]) output.on('error', () => undefined);

const log = stderrLogger();

/** What a signal must stop; filled in as the parts start. */
const running: { stop: Array<() => Promise<void>> } = { stop: [] };
let stopping = false;

async function shutdown(signal: string): Promise<void> {
  if (stopping) {
    // A second signal means "now": the checkpoint on disk is from the last acknowledged batch.
    log.error(`${signal} again; exiting without waiting`);
    process.exit(1);
  }
  stopping = true;
  log.info(`${signal}: stopping; flushing what was read`);
  // Last started, first stopped: the collector flushes before the demo writer stops.
  for (const stop of running.stop.reverse()) await stop();
  process.exit(0);
}

// Registered before anything starts, so a SIGTERM during boot is a clean stop, not a kill.
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

async function main(): Promise<void> {
  let config: CollectorConfig;
  try {
    config = loadCollectorConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log.error(err.message);
    process.exit(1);
  }

  const metrics = new CollectorMetrics();
  let metadata: MetadataProvider | undefined;
  if (config.mode === 'demo') {
    const why = config.configuredLogDir ? `${config.configuredLogDir} has no *.log files` : 'LOGPOND_LOG_DIR is unset';
    const writer = await startDemoWriter({
      dir: config.logDir,
      backfillLines: config.demoBackfillLines,
      linesPerSecond: config.demoLinesPerSecond,
      onError: (err) => log.error(`the demo writer stopped: ${err.message}`),
    });
    running.stop.push(() => writer.stop().catch((err: unknown) => log.error(`stopping the demo writer: ${errorMessage(err)}`)));
    metadata = podListProvider(DEMO_PODS);
    log.info(`demo mode (${why}): writing demo logs to ${config.logDir}, ${writer.backfilledLines} lines backfilled`);
  } else {
    if (!fs.existsSync(config.logDir)) log.error(`${config.logDir} does not exist (yet); watching for it`);
    metadata = startMetadata(config, metrics);
  }

  const collector = await startCollector({
    logDir: config.logDir,
    ingestUrl: config.ingestUrl,
    ingestToken: config.ingestToken,
    nodeName: config.nodeName,
    checkpointPath: config.checkpointPath,
    maxLineBytes: config.maxLineBytes,
    multiline: config.multiline,
    excludeNamespaces: config.excludeNamespaces,
    metadata,
    metrics,
    log,
    version: process.env.npm_package_version,
  });
  running.stop.push(async () => {
    const delivered = await collector.stop();
    if (!delivered) log.error('the server did not take the last batches in time; they are sent again after a restart');
  });
  const health =
    config.collectorPort > 0
      ? await startHealthServer({ host: config.collectorHost, port: config.collectorPort, metrics: collector.metrics })
      : undefined;
  if (health) {
    running.stop.push(() => health.close());
    log.info(`health and metrics on http://${config.collectorHost}:${health.port}/healthz and /metrics`);
  }
}

/** Pod metadata from the API server, when there is one to ask; the file names say the rest. */
function startMetadata(config: CollectorConfig, metrics: CollectorMetrics): MetadataProvider | undefined {
  let kubeConfig;
  try {
    kubeConfig = loadKubeConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    log.error(err.message);
    process.exit(1);
  }
  if (!kubeConfig) {
    log.info('no Kubernetes API (KUBECONFIG unset, not in a pod): sources get what their file names say');
    return undefined;
  }
  const kube = startKubeMetadata({
    kubeConfig,
    nodeName: config.nodeName,
    deletedPodGraceMs: config.podGraceMs,
    log,
    onError: () => metrics.countError('kubernetes'),
  });
  running.stop.push(() => kube.close());
  metrics.podsKnown = () => kube.podCount();
  log.info(`pod metadata from ${kubeConfig.getCurrentCluster()?.server ?? 'the API server'} for node ${config.nodeName}`);
  return kube;
}

main().catch((err: unknown) => {
  log.error(`cannot start: ${(err as Error)?.stack ?? String(err)}`);
  process.exit(1);
});
