// An istio-proxy sidecar: Envoy's access log in Istio's default text format, and the pilot-agent's
// tab-separated `time\tlevel\tscope\tmsg` lines, both on stdout.

import { isoMicros, isoMillis } from '../time-text';
import { chance, int, pick } from '../rng';
import type { Emit, KindWriter, Level } from './emit';
import { fakeRequest, podIp, uuid } from './traffic';

function agent(e: Emit, level: Level, scope: string, msg: string): void {
  const word = level === 'warn' ? 'warning' : level;
  e.line(`${isoMicros(e.ts, e.nanos)}\t${word}\t${scope}\t${msg}`, 'stdout');
}

export const envoy: KindWriter = {
  hasDebug: false,
  event(e, level, burst) {
    const rng = e.rng;
    if (level === 'warn' && chance(rng, 0.2)) {
      agent(e, level, 'envoy config', `external/envoy/source/extensions/config_subscription/grpc/grpc_stream.h:152\tStreamAggregatedResources gRPC config stream to xds-grpc closed since ${int(rng, 30, 3000)}s ago: 14, connection error: desc = "transport: Error while dialing: dial tcp 10.96.4.12:15012: i/o timeout"\tthread=${int(rng, 10, 30)}`);
      return;
    }
    if (level === 'info' && chance(rng, 0.02)) {
      if (chance(rng, 0.5)) agent(e, level, 'xdsproxy', 'connected to delta upstream XDS server: istiod.istio-system.svc:15012\tid=' + int(rng, 2, 400));
      else agent(e, level, 'cache', `generated new workload certificate\tresourceName=default latency=${int(rng, 40, 200)}ms ttl=23h59m59.${int(rng, 100_000_000, 999_999_999)}s`);
      return;
    }
    const r = fakeRequest(rng, e.service, level);
    const port = e.service === 'storefront' ? 3000 : 8080;
    const self = podIp(rng);
    let flags = '- via_upstream - "-"';
    if (r.status === 503) flags = burst || chance(rng, 0.5) ? 'UF upstream_reset_before_response_started{connection_failure} - "delayed_connect_error:_111"' : 'URX via_upstream - "-"';
    else if (r.status === 504) flags = 'UT response_timeout - "-"';
    const duration = Math.round(r.latencyMs);
    e.line(
      `[${isoMillis(e.ts)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${flags} ${int(rng, 0, 2000)} ${r.bytes} ${duration} ${Math.max(0, duration - 1)} "${r.clientIp}" "${r.userAgent}" "${uuid(rng)}" "${e.service}.${e.namespace}.svc.cluster.local:${port}" "${self}:${port}" inbound|${port}|| 127.0.0.6:${int(rng, 32768, 60999)} ${self}:${port} ${podIp(rng)}:${int(rng, 32768, 60999)} outbound_.${port}_._.${e.service}.${e.namespace}.svc.cluster.local ${pick(rng, ['default', 'default', '-'])}`,
      'stdout',
    );
  },
};
