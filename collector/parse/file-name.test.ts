import { describe, expect, it } from 'vitest';
import { parseLogFileName, type LogFileIdentity } from './file-name';

const cases: Array<[string, LogFileIdentity]> = [
  [
    'checkout-7d9f8b6c5d-x2x9q_shop_checkout-0123abcd.log',
    { pod: 'checkout-7d9f8b6c5d-x2x9q', namespace: 'shop', container: 'checkout', containerId: '0123abcd', recognized: true },
  ],
  [
    'postgres-0_payments_metrics-exporter-9f8e7d6c5b4a.log',
    { pod: 'postgres-0', namespace: 'payments', container: 'metrics-exporter', containerId: '9f8e7d6c5b4a', recognized: true },
  ],
  [
    'web.v2.example-5f6d_default_nginx-side-car-ffee.log',
    { pod: 'web.v2.example-5f6d', namespace: 'default', container: 'nginx-side-car', containerId: 'ffee', recognized: true },
  ],
  [
    '/var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-4a5b6c.log',
    { pod: 'coredns-5d78c9869d-abcde', namespace: 'kube-system', container: 'coredns', containerId: '4a5b6c', recognized: true },
  ],
  ['syslog.log', { pod: 'syslog', namespace: 'unknown', container: 'unknown', containerId: '', recognized: false }],
  ['only_two.log', { pod: 'only_two', namespace: 'unknown', container: 'unknown', containerId: '', recognized: false }],
  ['pod_ns_container-.log', { pod: 'pod_ns_container-', namespace: 'unknown', container: 'unknown', containerId: '', recognized: false }],
  ['a_b_c_d-123.log', { pod: 'a_b_c_d-123', namespace: 'unknown', container: 'unknown', containerId: '', recognized: false }],
  ['.log', { pod: '.log', namespace: 'unknown', container: 'unknown', containerId: '', recognized: false }],
];

describe('parseLogFileName', () => {
  it.each(cases)('%s', (name, expected) => {
    expect(parseLogFileName(name)).toEqual(expected);
  });
});
