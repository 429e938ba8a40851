// kube-proxy, writing klog's header `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg` to stderr,
// half of it in klog's structured form (`"msg" key="value"`), as current components do.

import { millis3, pad, secondParts } from '../time-text';
import { chance, int, pick } from '../rng';
import type { Emit, KindWriter, Level } from './emit';

const LETTER: Record<Level, string> = { debug: 'I', info: 'I', warn: 'W', error: 'E' };

/** The klog header; the thread id is right-aligned in 7 columns, as klog pads it. */
export function klogHead(e: Emit, level: Level, threadId: number, source: string): string {
  const p = secondParts(e.ts);
  const tid = String(threadId);
  return `${LETTER[level]}${p.mmdd} ${p.time}.${millis3(e.ts)}${pad((e.nanos / 1000) | 0, 3)} ${' '.repeat(Math.max(0, 7 - tid.length))}${tid} ${source}] `;
}

const SERVICES = ['shop/storefront:http', 'shop/checkout:http', 'payments/payment-gateway:http', 'auth/auth-api:http', 'monitoring/grafana:service'];

export const klog: KindWriter = {
  hasDebug: true,
  event(e, level) {
    const rng = e.rng;
    const out = (source: string, msg: string) => e.line(klogHead(e, level, 1, source) + msg, 'stderr');
    if (level === 'error') {
      if (chance(rng, 0.5)) {
        // klog prints a multi-line value between `<` and ` >`, one physical line each.
        out(`proxier.go:${int(rng, 1500, 1530)}`, `"Failed to execute iptables-restore" err=<`);
        e.line('\texit status 4: Another app is currently holding the xtables lock. Perhaps you want to use the -w option?', 'stderr');
        e.line(' > ipFamily="IPv4"', 'stderr');
      } else out('reflector.go:158', `"Unhandled Error" err="k8s.io/client-go/informers/factory.go:160: Failed to watch *v1.EndpointSlice: Get \\"https://10.96.0.1:443/apis/discovery.k8s.io/v1/endpointslices?allowWatchBookmarks=true&resourceVersion=${int(rng, 100_000, 999_999)}&watch=true\\": dial tcp 10.96.0.1:443: connect: connection refused" logger="UnhandledError"`);
      return;
    }
    if (level === 'warn') {
      out('reflector.go:492', `k8s.io/client-go/informers/factory.go:160: watch of *v1.EndpointSlice ended with: an error on the server ("unable to decode an event from the watch stream: http2: client connection lost") has prevented the request from succeeding`);
      return;
    }
    if (level === 'debug') {
      out(`proxier.go:${int(rng, 790, 800)}`, `"Syncing iptables rules"`);
      return;
    }
    if (chance(rng, 0.7)) {
      out(`proxier.go:${int(rng, 1540, 1560)}`, `"SyncProxyRules complete" elapsed="${(rng() * 120 + 5).toFixed(6)}ms"`);
    } else {
      out('endpointslicecache.go:348', `"Setting endpoints for service port name" portName="${pick(rng, SERVICES)}" endpoints=["10.244.${int(rng, 0, 5)}.${int(rng, 2, 254)}:8080","10.244.${int(rng, 0, 5)}.${int(rng, 2, 254)}:8080"]`);
    }
  },
};
