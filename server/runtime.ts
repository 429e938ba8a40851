// Everything one server process holds: its configuration, the open store, and the counters the
// metrics route reports. The app memoizes one runtime per process (see app/api/runtime.ts).
import type { IngestResult } from '../common/ingest-batch';
import type { StatusResponse } from '../common/read-api';
import type { EndedSessions } from './auth/ended-sessions';
import { SessionSync } from './auth/session-sync';
import type { ServerConfig } from './config';
import { isLogpondError } from './errors';
import { authorizeIngest } from './ingest/authorize';
import { CollectorRegistry } from './ingest/collectors';
import { SharedCollectors } from './ingest/shared-collectors';
import { DecodePool } from './ingest/decode-pool';
import { replayJournalRecord } from './ingest/journal-replay';
import { readBody } from './ingest/read-body';
import type { Protocol, ProtocolFormat } from './ingest/protocols/decode-protocol';
import { ProtocolFiles } from './ingest/protocols/protocol-file';
import { ResendWindow } from './ingest/protocols/resend-window';
import { TooManyRequestsError } from './errors';
import { ServerMetrics } from './metrics';
import { ReadApi } from './read/read-api';
import type { LogStorage } from './store/log-storage';
import { openStorage } from './store/open-storage';

/** Shippers' requests decoded or stored at once; past it they are answered 429 with Retry-After. */
export const MAX_PROTOCOL_REQUESTS_IN_FLIGHT = 64;

/** The User-Agent's first product (`Vector/0.44.0`, `OTel-OTLP-Exporter-Go/1.34.0`), for the status page. */
function senderOf(headers: Headers): string {
  const product = (headers.get('user-agent') ?? '').trim().split(/\s/)[0];
  return product.replace(/[^A-Za-z0-9._/-]/g, '_').slice(0, 48) || 'unknown';
}

export class Runtime {
  readonly collectors = new CollectorRegistry();
  readonly metrics: ServerMetrics;

  /** The collectors that sent to any server on the store, where there can be others. */
  private readonly sharedCollectors: SharedCollectors | null;

  /** The read routes: search, histogram, fields, values, suggest, context, export, tail. */
  readonly reads: ReadApi;

  /** This process's file per source for shippers' lines, and the resends it has seen. */
  private readonly protocolFiles = new ProtocolFiles();
  private readonly resends = new ResendWindow();
  private protocolRequestsInFlight = 0;

  private constructor(
    readonly config: ServerConfig,
    readonly store: LogStorage,
    private readonly decoder: DecodePool,
    /** Sign-outs shared with the other servers on the store, where there can be others. */
    readonly sessions: SessionSync | null,
  ) {
    this.reads = new ReadApi(store);
    this.sharedCollectors = store.collectorSightings ? new SharedCollectors(store.collectorSightings, this.collectors) : null;
    this.sharedCollectors?.start();
    this.metrics = new ServerMetrics({
      storeStats: () => store.stats(),
      storeMemory: () => store.memory(),
      reads: () => store.readCounts,
      gate: () => store.gateCounts(),
      tails: () => this.reads.activeTails,
    });
  }

  /** `endedSessions`: the sign-outs the gate checks, when sign-in is on. */
  static async start(config: ServerConfig, endedSessions?: EndedSessions): Promise<Runtime> {
    const store = await openStorage(config, { replay: replayJournalRecord });
    const decoder = new DecodePool(config.ingestWorkers);
    console.error(`logpond: store open: ${store.describe()}; ingest decodes on ${decoder.threads || 'the main'} thread(s)`);
    const sessions = store.sessionEnds && endedSessions ? new SessionSync(store.sessionEnds, endedSessions) : null;
    // Before the first request is served: a sign-out on another replica holds here from the start.
    await sessions?.start();
    return new Runtime(config, store, decoder, sessions);
  }

  /** POST /api/ingest: authorize, read, validate, store; the batch is stored whole or not at all. */
  async ingest(request: Request): Promise<IngestResult> {
    const started = performance.now();
    try {
      authorizeIngest(request.headers, this.config.ingestToken);
      const { bytes, encoding } = await readBody(request, this.config.maxBatchBytes);
      const batch = await this.decoder.decode(bytes, encoding, this.config.maxBatchBytes);
      const result = await this.store.ingest(batch);
      this.collectors.record(batch.collector, result.accepted);
      this.metrics.batches.inc();
      this.metrics.entries.inc(result.accepted);
      this.metrics.duplicates.inc(result.duplicates);
      return result;
    } catch (err) {
      this.metrics.rejects.inc({ reason: isLogpondError(err) ? err.code : 'internal' });
      throw err;
    } finally {
      this.metrics.latency.observe((performance.now() - started) / 1000);
    }
  }

  /**
   * POST /v1/logs and /loki/api/v1/push: a shipper's request, stored whole or not at all, once
   * however often it is resent within the resend window.
   */
  async ingestProtocol(request: Request, protocol: Protocol, formatOf: (headers: Headers) => ProtocolFormat): Promise<IngestResult> {
    const started = performance.now();
    try {
      authorizeIngest(request.headers, this.config.ingestToken);
      const format = formatOf(request.headers);
      if (this.protocolRequestsInFlight >= MAX_PROTOCOL_REQUESTS_IN_FLIGHT) {
        throw new TooManyRequestsError(`${MAX_PROTOCOL_REQUESTS_IN_FLIGHT} requests are being stored; send this one again shortly`, 'ingest_busy', 1);
      }
      this.protocolRequestsInFlight++;
      try {
        const receivedAtMs = Date.now();
        const { bytes, encoding } = await readBody(request, this.config.maxBatchBytes);
        const sender = senderOf(request.headers);
        const digest = ResendWindow.digestOf([format, encoding, bytes]);
        const { result, resent } = await this.resends.once(digest, async () => {
          const body = { format, bytes, encoding, receivedAtMs, sender, limitBytes: this.config.maxBatchBytes, maxLineBytes: this.config.maxLineBytes };
          const batch = await this.decoder.decodeProtocol(body);
          // Placed and handed to the store in one turn, so the store takes them in the order numbered.
          const placement = this.protocolFiles.place(batch, body, digest);
          return this.store.ingest(batch).then(
            (stored) => {
              this.collectors.record(batch.collector, stored.accepted, new Date(), protocol);
              return stored;
            },
            (err: unknown) => {
              this.protocolFiles.refused(digest, placement);
              throw err;
            },
          );
        });
        this.metrics.batches.inc();
        this.metrics.entries.inc(result.accepted);
        this.metrics.duplicates.inc(result.duplicates);
        this.metrics.protocolRequests.inc({ protocol, outcome: resent ? 'resent' : 'stored' });
        this.metrics.protocolEntries.inc({ protocol }, result.accepted);
        return result;
      } finally {
        this.protocolRequestsInFlight--;
      }
    } catch (err) {
      const reason = isLogpondError(err) ? err.code : 'internal';
      this.metrics.rejects.inc({ reason });
      this.metrics.protocolRequests.inc({ protocol, outcome: 'refused' });
      throw err;
    } finally {
      this.metrics.latency.observe((performance.now() - started) / 1000);
    }
  }

  /** GET /api/metrics: the Prometheus text format and its content type. */
  metricsText(): Promise<{ body: string; contentType: string }> {
    return this.metrics.text();
  }

  async status(): Promise<StatusResponse> {
    const [{ engine, entries, sources, oldest, newest, diskBytes, settling, damaged }, collectors] = await Promise.all([
      this.store.stats(),
      this.sharedCollectors ? this.sharedCollectors.list() : this.collectors.list(),
    ]);
    return { engine, entries, sources, oldest, newest, diskBytes, settling, ...(damaged && { damaged }), collectors };
  }

  async close(): Promise<void> {
    this.sessions?.stop();
    await this.sharedCollectors?.stop();
    await this.sharedCollectors?.share();
    await this.decoder.close();
    await this.store.close();
  }
}
