// Every LOGPOND_* setting the collector reads, parsed once at start. A bad value stops the boot
// with a ConfigError naming the variable, instead of surfacing later as a confusing failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSize } from '../common/units';
import { ConfigError } from './errors';
import { DEMO_BACKFILL_LINES } from './demo/demo-writer';

export type Env = Readonly<Record<string, string | undefined>>;

export interface CollectorConfig {
  /** `files`: tail logDir; `demo`: write demo logs into logDir and tail those. */
  mode: 'files' | 'demo';
  /** The directory that is tailed: LOGPOND_LOG_DIR (else /var/log/containers), or `<data>/demo-logs` in demo mode. */
  logDir: string;
  /** LOGPOND_LOG_DIR as given, when set. */
  configuredLogDir: string | undefined;
  dataDir: string;
  serverUrl: string;
  /** `${serverUrl}/api/ingest`. */
  ingestUrl: string;
  ingestToken: string | undefined;
  nodeName: string;
  checkpointPath: string;
  maxLineBytes: number;
  /** LOGPOND_MULTILINE: join Java, Python and Go stack traces written line by line into one entry. */
  multiline: boolean;
  /** LOGPOND_EXCLUDE_NAMESPACES: namespaces whose containers are not collected. */
  excludeNamespaces: string[];
  /** Deleted pods stay in the metadata cache this long (LOGPOND_POD_GRACE): their files may still be draining. */
  podGraceMs: number;
  /** Demo mode: lines to backfill over the last 24 hours, and live lines per second (by default the backfill's rate). */
  demoBackfillLines: number;
  demoLinesPerSecond: number | undefined;
  /** 0 turns the health server off. */
  collectorPort: number;
  collectorHost: string;
}

/** Where the kubelet links every container's log; the default when demo mode is off. */
export const KUBELET_LOG_DIR = '/var/log/containers';
const DEFAULT_PORT = 3000;
const DEFAULT_COLLECTOR_PORT = 3001;
// In a cluster the kubelet's probes and Prometheus reach the pod on its IP, so listen everywhere.
const DEFAULT_COLLECTOR_HOST = '0.0.0.0';
/** Longer lines are cut and flagged; a runaway writer must not exhaust the collector's memory. */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024;
// Below 1 KiB ordinary lines would be cut; above 16 MiB one line could fill the server's batch limit.
const MIN_MAX_LINE_BYTES = 1024;
const MAX_MAX_LINE_BYTES = 16 * 1024 * 1024;
const MAX_NODE_NAME = 253;
/** Long enough for the last lines of a deleted pod's files to be read and shipped. */
const DEFAULT_POD_GRACE_MS = 5 * 60_000;
/** A day of history at a few lines per second: enough for the histogram to have a shape. */

export function loadCollectorConfig(env: Env = process.env): CollectorConfig {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const demoEnabled = parseSwitch('LOGPOND_DEMO', read('LOGPOND_DEMO'), true);
  const dataDir = path.resolve(read('LOGPOND_DATA_DIR') ?? './data');
  const configuredLogDir = read('LOGPOND_LOG_DIR');
  const demoLogDir = path.join(dataDir, 'demo-logs');
  const mode = demoEnabled && !hasLogFiles(configuredLogDir) ? 'demo' : 'files';

  const port = parsePort('PORT', read('PORT'), DEFAULT_PORT, false);
  const serverUrl = parseServerUrl(read('LOGPOND_SERVER_URL') ?? `http://127.0.0.1:${port}`);

  const nodeName = read('LOGPOND_NODE_NAME') ?? os.hostname();
  if (nodeName.length > MAX_NODE_NAME) {
    throw new ConfigError('LOGPOND_NODE_NAME', `must be at most ${MAX_NODE_NAME} characters`);
  }

  return {
    mode,
    logDir: mode === 'demo' ? demoLogDir : path.resolve(configuredLogDir ?? KUBELET_LOG_DIR),
    configuredLogDir,
    dataDir,
    serverUrl,
    ingestUrl: `${serverUrl}/api/ingest`,
    ingestToken: read('LOGPOND_INGEST_TOKEN'),
    nodeName,
    checkpointPath: path.resolve(read('LOGPOND_CHECKPOINT') ?? path.join(dataDir, 'collector-checkpoint.json')),
    maxLineBytes: parseMaxLine(read('LOGPOND_MAX_LINE')),
    multiline: parseSwitch('LOGPOND_MULTILINE', read('LOGPOND_MULTILINE'), true),
    excludeNamespaces: parseNamespaces(read('LOGPOND_EXCLUDE_NAMESPACES')),
    podGraceMs: parseDuration('LOGPOND_POD_GRACE', read('LOGPOND_POD_GRACE'), DEFAULT_POD_GRACE_MS),
    collectorPort: parsePort('LOGPOND_COLLECTOR_PORT', read('LOGPOND_COLLECTOR_PORT'), DEFAULT_COLLECTOR_PORT, true),
    collectorHost: read('LOGPOND_COLLECTOR_HOST') ?? DEFAULT_COLLECTOR_HOST,
    demoBackfillLines: parseCount('LOGPOND_DEMO_BACKFILL', read('LOGPOND_DEMO_BACKFILL'), DEMO_BACKFILL_LINES),
    demoLinesPerSecond: optionalCount('LOGPOND_DEMO_RATE', read('LOGPOND_DEMO_RATE')),
  };
}

function parseMaxLine(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_LINE_BYTES;
  const bytes = parseSize(text);
  if (bytes === undefined) throw new ConfigError('LOGPOND_MAX_LINE', `expected a size such as 256KiB or 1MiB, got "${text}"`);
  if (bytes < MIN_MAX_LINE_BYTES || bytes > MAX_MAX_LINE_BYTES) {
    throw new ConfigError('LOGPOND_MAX_LINE', `must be between 1KiB and 16MiB, got "${text}"`);
  }
  return bytes;
}

// A Kubernetes namespace name: a DNS label.
const NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function parseNamespaces(text: string | undefined): string[] {
  if (text === undefined) return [];
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const bad = names.find((name) => !NAMESPACE_NAME.test(name));
  if (bad !== undefined) throw new ConfigError('LOGPOND_EXCLUDE_NAMESPACES', `"${bad}" is not a namespace name (comma-separated list)`);
  return [...new Set(names)];
}

function parseDuration(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match) throw new ConfigError(name, `expected a duration such as 30s, 5m or 1h, got "${text}"`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

function parseCount(name: string, text: string | undefined, fallback: number): number {
  return optionalCount(name, text) ?? fallback;
}

function optionalCount(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new ConfigError(name, `expected a whole number, got "${text}"`);
  return Number(text);
}

function parseSwitch(name: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined) return fallback;
  const value = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `expected 0 or 1, got "${text}"`);
}

function parsePort(name: string, text: string | undefined, fallback: number, zeroAllowed: boolean): number {
  if (text === undefined) return fallback;
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535 || (port === 0 && !zeroAllowed)) {
    throw new ConfigError(name, `expected a port number${zeroAllowed ? ' (0 = off)' : ''}, got "${text}"`);
  }
  return port;
}

function parseServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError('LOGPOND_SERVER_URL', `expected an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('LOGPOND_SERVER_URL', `expected an http(s) URL, got "${text}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Whether the directory holds any `*.log` entry. Read once at boot: a missing or empty log
 * directory (a laptop without Kubernetes) means demo mode when demo is on.
 */
function hasLogFiles(dir: string | undefined): boolean {
  if (dir === undefined) return false;
  try {
    return fs.readdirSync(dir).some((name) => name.endsWith('.log'));
  } catch {
    return false;
  }
}
