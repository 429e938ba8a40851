// A Node web API logging one JSON object per line (pino-like, but `level` as a word), the format
// that makes field extraction worth having: nested `user.id`, numbers, an escaped stack in a string.

import { isoMillis } from '../time-text';
import { chance, int, pick, type Rng } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { fakeRequest, podIp, traceId } from './traffic';

const TIERS = ['free', 'free', 'plus', 'gold'];

function head(e: Emit, level: Level, msg: string): string {
  return `{"level":"${level}","time":"${isoMillis(e.ts)}","service":"${e.service}","msg":"${msg}"`;
}

function user(rng: Rng, id: number): string {
  return `"user":{"id":${id},"tier":"${pick(rng, TIERS)}"}`;
}

function requestLine(e: Emit, level: Level, burst: boolean): void {
  const r = fakeRequest(e.rng, e.service, level);
  const fields = `"method":"${r.method}","path":"${r.path}","status":${r.status},"latency_ms":${r.latencyMs},${user(e.rng, r.userId)},"trace_id":"${r.traceId}"`;
  if (level !== 'error') {
    const msg = level === 'warn' && r.status < 400 ? 'slow request' : 'request completed';
    e.line(`${head(e, level, msg)},${fields}}`, 'stdout');
    return;
  }
  const upstream = pick(e.rng, ['catalog', 'checkout', 'auth-api', 'inventory']);
  const ip = `10.96.${int(e.rng, 0, 255)}.${int(e.rng, 1, 254)}`;
  const reason = burst || chance(e.rng, 0.5) ? `connect ECONNREFUSED ${ip}:8080` : 'socket hang up';
  const message = `request to http://${upstream}.${e.namespace}.svc.cluster.local:8080${r.route} failed, reason: ${reason}`;
  // Node's err.stack, escaped into the JSON string as pino's err serializer does: still one line.
  const stack =
    `FetchError: ${message}\\n    at ClientRequest.<anonymous> (/app/node_modules/node-fetch/lib/index.js:1505:11)` +
    `\\n    at ClientRequest.emit (node:events:519:28)\\n    at emitErrorEvent (node:_http_client:101:11)` +
    `\\n    at Socket.socketErrorListener (node:_http_client:504:5)\\n    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)`;
  e.line(`${head(e, level, 'request failed')},${fields},"err":{"type":"FetchError","message":"${message}","code":"${reason.startsWith('connect') ? 'ECONNREFUSED' : 'ECONNRESET'}","stack":"${stack}"}}`, 'stdout');
}

export const webJson: KindWriter = {
  hasDebug: true,
  event(e, level, burst) {
    const rng = e.rng;
    if (level === 'debug') {
      if (chance(rng, 0.5)) {
        e.line(`${head(e, level, 'cache lookup')},"key":"product:${int(rng, 1000, 6000)}","hit":${chance(rng, 0.8)},"took_ms":${(rng() * 2).toFixed(2)}}`, 'stdout');
      } else {
        e.line(`${head(e, level, 'db query')},"table":"${pick(rng, ['products', 'carts', 'sessions', 'orders'])}","rows":${int(rng, 0, 50)},"query_ms":${(rng() * 20).toFixed(1)},"trace_id":"${traceId(rng)}"}`, 'stdout');
      }
      return;
    }
    if (level === 'warn' && chance(rng, 0.1)) {
      // Not JSON: Node itself writes process warnings to stderr, and a log explorer must cope.
      e.line(`(node:1) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. 11 error listeners added to [TLSSocket]. MaxListeners is 10. Use emitter.setMaxListeners() to increase limit`, 'stderr');
      return;
    }
    if (level === 'info' && chance(rng, 0.15)) {
      const pick3 = rng();
      if (pick3 < 0.5) {
        e.line(`${head(e, level, 'product viewed')},"product_id":${int(rng, 1000, 6000)},${user(rng, int(rng, 1, 5000))},"query":"${pick(rng, ['café crème', 'rain jacket', 'größe 42', 'tent'])}"}`, 'stdout');
      } else if (pick3 < 0.8) {
        e.line(`${head(e, level, 'session refreshed')},${user(rng, int(rng, 1, 5000))},"client_ip":"${podIp(rng)}","expires_in":3600}`, 'stdout');
      } else {
        e.line(`${head(e, level, 'feature flags reloaded')},"flags":{"new_checkout":${chance(rng, 0.5)},"recommendations_v2":true},"version":${int(rng, 100, 400)}}`, 'stdout');
      }
      return;
    }
    requestLine(e, level, burst);
  },
  long(e, payload) {
    e.line(`${head(e, 'info', 'graphql request')},"operation":"CartSnapshot","variables":{"cart":"${payload}"},"trace_id":"${traceId(e.rng)}"}`, 'stdout');
  },
};
