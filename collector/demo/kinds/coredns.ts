// CoreDNS with the `log` and `errors` plugins: one query line per lookup, including the NXDOMAIN
// noise of the pod's DNS search path, on stdout.

import { chance, hex, int, pick } from '../rng';
import type { KindWriter } from './emit';
import { podIp } from './traffic';

const NAMES = [
  'checkout.shop.svc.cluster.local.',
  'catalog.shop.svc.cluster.local.',
  'postgres.payments.svc.cluster.local.',
  'auth-api.auth.svc.cluster.local.',
  'prometheus.monitoring.svc.cluster.local.',
  'api.stripe.com.shop.svc.cluster.local.',
  'api.stripe.com.svc.cluster.local.',
  'api.stripe.com.',
];

export const coredns: KindWriter = {
  hasDebug: true,
  event(e, level) {
    const rng = e.rng;
    const out = (text: string) => e.line(text, 'stdout');
    if (level === 'debug') {
      out(`[INFO] plugin/reload: Running configuration SHA512 = ${hex(rng, 128)}`);
      return;
    }
    if (level === 'warn') {
      out('[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: i/o timeout');
      return;
    }
    if (level === 'error') {
      out(`[ERROR] plugin/errors: 2 api.stripe.com. ${pick(rng, ['A', 'AAAA'])}: read udp ${podIp(rng)}:${int(rng, 32768, 60999)}->8.8.8.8:53: i/o timeout`);
      return;
    }
    const name = pick(rng, NAMES);
    const nx = name.includes('stripe.com.') && name !== 'api.stripe.com.';
    const type = chance(rng, 0.6) ? 'A' : 'AAAA';
    out(
      `[INFO] ${podIp(rng)}:${int(rng, 32768, 60999)} - ${int(rng, 1, 65535)} "${type} IN ${name} udp ${int(rng, 40, 90)} false 512" ${nx ? 'NXDOMAIN' : 'NOERROR'} qr,${nx || name.endsWith('local.') ? 'aa,' : ''}rd${nx ? '' : ',ra'} ${int(rng, 90, 260)} 0.000${int(rng, 100, 999)}s`,
    );
  },
};
