// A Go service logging logfmt to stderr (go-kit / slog text handler style), plus the goroutine
// stack that net/http prints when it recovers a handler's panic: a multi-line Go trace.

import { isoMillis, secondParts } from '../time-text';
import { chance, hex, int, pick } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { fakeRequest, podIp } from './traffic';

function head(e: Emit, level: Level, msg: string): string {
  return `time=${isoMillis(e.ts)} level=${level} msg="${msg}"`;
}

function goPanic(e: Emit): void {
  const rng = e.rng;
  const addr = () => `0x${hex(rng, 6)}`;
  const out = (text: string) => e.line(text, 'stderr');
  out(`${secondParts(e.ts).slashed} http: panic serving ${podIp(rng)}:${int(rng, 32768, 60999)}: runtime error: invalid memory address or nil pointer dereference`);
  out(`goroutine ${int(rng, 100, 99_999)} [running]:`);
  out('net/http.(*conn).serve.func1()');
  out('\t/usr/local/go/src/net/http/server.go:1947 +0xbe');
  out(`panic({${addr()}?, ${addr()}?})`);
  out('\t/usr/local/go/src/runtime/panic.go:785 +0x132');
  out(`github.com/example/${e.service}/internal/orders.(*Service).Confirm(0xc000${hex(rng, 6)}, {${addr()}, 0xc000${hex(rng, 6)}}, {0xc000${hex(rng, 6)}, 0x24})`);
  out(`\t/src/internal/orders/service.go:${int(rng, 90, 200)} +0x1b4`);
  out(`github.com/example/${e.service}/internal/httpapi.(*Handler).confirmOrder(...)`);
  out(`\t/src/internal/httpapi/orders.go:${int(rng, 40, 120)} +0x2a5`);
  out(`net/http.HandlerFunc.ServeHTTP(0xc000${hex(rng, 6)}, {${addr()}, 0xc000${hex(rng, 6)}}, 0xc000${hex(rng, 6)})`);
  out('\t/usr/local/go/src/net/http/server.go:2220 +0x29');
  out(`net/http.(*conn).serve(0xc000${hex(rng, 6)}, {${addr()}, 0xc000${hex(rng, 6)}})`);
  out('\t/usr/local/go/src/net/http/server.go:2092 +0x5d0');
  out('created by net/http.(*Server).Serve in goroutine 1');
  out('\t/usr/local/go/src/net/http/server.go:3360 +0x485');
}

export const goLogfmt: KindWriter = {
  hasDebug: true,
  event(e, level, burst) {
    const rng = e.rng;
    if (level === 'debug') {
      e.line(`${head(e, level, pick(rng, ['cache miss', 'cache hit']))} key=order:${int(rng, 10_000, 99_999)} took=${int(rng, 40, 900)}µs`, 'stderr');
      return;
    }
    if (level === 'error' && !burst && chance(rng, 0.05)) {
      goPanic(e);
      return;
    }
    if (level === 'info' && chance(rng, 0.25)) {
      e.line(`${head(e, level, 'order placed')} order_id=ord_${hex(rng, 10)} items=${int(rng, 1, 6)} amount=${(rng() * 300 + 5).toFixed(2)} currency=EUR user_id=${int(rng, 1, 5000)}`, 'stderr');
      return;
    }
    if (level === 'warn' && chance(rng, 0.4)) {
      e.line(`${head(e, level, 'retrying upstream call')} upstream=payment-gateway attempt=${int(rng, 2, 4)} backoff=${pick(rng, ['100ms', '200ms', '400ms'])} err="context deadline exceeded"`, 'stderr');
      return;
    }
    const r = fakeRequest(rng, e.service, level);
    const base = `method=${r.method} path=${r.path} status=${r.status} latency_ms=${r.latencyMs} user_id=${r.userId} trace_id=${r.traceId}`;
    if (level === 'error') {
      const ip = `10.96.${int(rng, 0, 255)}.${int(rng, 1, 254)}`;
      e.line(`${head(e, level, 'request failed')} ${base} err="rpc error: code = Unavailable desc = connection error: desc = \\"transport: Error while dialing: dial tcp ${ip}:8443: connect: connection refused\\""`, 'stderr');
      return;
    }
    e.line(`${head(e, level, 'request served')} ${base}`, 'stderr');
  },
  long(e, payload) {
    e.line(`${head(e, 'warn', 'oversized webhook payload')} source=stripe bytes=${payload.length} payload="${payload}"`, 'stderr');
  },
};
