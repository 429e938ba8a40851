// The ingress-nginx controller: nginx's access log on stdout (ingress-nginx's `upstreaminfo`
// format), nginx's error log and the controller's own klog lines on stderr, in one container.

import { secondParts } from '../time-text';
import { chance, hex, int, pick } from '../rng';
import type { Emit, KindWriter } from './emit';
import { klogHead } from './klog';
import { fakeRequest, podIp } from './traffic';

const BACKENDS = [
  { service: 'storefront', upstream: 'shop-storefront-3000', host: 'shop.example.com', port: 3000 },
  { service: 'storefront', upstream: 'shop-storefront-3000', host: 'shop.example.com', port: 3000 },
  { service: 'checkout', upstream: 'shop-checkout-8080', host: 'shop.example.com', port: 8080 },
  { service: 'auth-api', upstream: 'auth-auth-api-8080', host: 'login.example.com', port: 8080 },
  { service: 'grafana', upstream: 'monitoring-grafana-3000', host: 'grafana.example.com', port: 3000 },
];

export const nginxIngress: KindWriter = {
  hasDebug: true,
  event(e, level) {
    const rng = e.rng;
    if (level === 'debug' || (level === 'info' && chance(rng, 0.01))) {
      const msg = pick(rng, [
        `"Configuration changes detected, backend reload required"`,
        `"Backend successfully reloaded"`,
        `Event(v1.ObjectReference{Kind:"Pod", Namespace:"ingress-nginx", Name:"ingress-nginx-controller", APIVersion:"v1"}): type: 'Normal' reason: 'RELOAD' NGINX reload triggered due to a change in configuration`,
      ]);
      e.line(klogHead(e, 'info', 7, `controller.go:${int(rng, 190, 220)}`) + msg, 'stderr');
      return;
    }
    const b = pick(rng, BACKENDS);
    const r = fakeRequest(rng, b.service, level);
    const upstreamAddr = `${podIp(rng)}:${b.port}`;
    const seconds = (r.latencyMs / 1000).toFixed(3);
    if (level === 'error' && chance(rng, 0.4)) {
      const what = r.status === 504 ? 'upstream timed out (110: Operation timed out) while reading response header from upstream' : 'connect() failed (111: Connection refused) while connecting to upstream';
      e.line(
        `${secondParts(e.ts).slashed} [error] ${int(rng, 28, 40)}#${int(rng, 28, 40)}: *${int(rng, 100_000, 9_999_999)} ${what}, client: ${r.clientIp}, server: ${b.host}, request: "${r.method} ${r.path} HTTP/2.0", upstream: "http://${upstreamAddr}${r.path}", host: "${b.host}"`,
        'stderr',
      );
    }
    const upstreamStatus = r.status === 502 || r.status === 504 ? '-' : String(r.status);
    e.line(
      `${r.clientIp} - - [${secondParts(e.ts).clf} +0000] "${r.method} ${r.path} HTTP/2.0" ${r.status} ${r.bytes} "https://${b.host}/" "${r.userAgent}" ${int(rng, 40, 900)} ${seconds} [${b.upstream}] [] ${upstreamAddr} ${r.bytes} ${seconds} ${upstreamStatus} ${hex(rng, 32)}`,
      'stdout',
    );
  },
};
