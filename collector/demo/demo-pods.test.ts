import { describe, expect, it } from 'vitest';
import { DEMO_PODS, demoLogFileName } from './demo-pods';

const containers = DEMO_PODS.flatMap((pod) => pod.containers.map((container) => ({ pod, container })));

describe('DEMO_PODS', () => {
  it('gives every container its own 64-hex id and log file', () => {
    const ids = containers.map(({ container }) => container.id);
    expect(ids.every((id) => /^[0-9a-f]{64}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(containers.map(({ pod, container }) => demoLogFileName(pod, container))).size).toBe(containers.length);
  });

  it('looks like a small real cluster: namespaces, replicas, a stateful set, a daemon set on every node, sidecars', () => {
    expect(new Set(DEMO_PODS.map((p) => p.namespace)).size).toBeGreaterThanOrEqual(5);
    expect(DEMO_PODS.map((p) => p.name)).toContain('checkout-7d9f8b6c5-x2k4p');
    expect(DEMO_PODS.some((p) => p.name === 'postgres-0' && p.labels['statefulset.kubernetes.io/pod-name'] === 'postgres-0')).toBe(true);
    const nodes = new Set(DEMO_PODS.map((p) => p.node));
    const proxies = DEMO_PODS.filter((p) => p.labels['k8s-app'] === 'kube-proxy');
    expect(new Set(proxies.map((p) => p.node))).toEqual(nodes);
    expect(DEMO_PODS.some((p) => p.containers.map((c) => c.name).includes('istio-proxy') && p.containers.length === 2)).toBe(true);
    for (const p of DEMO_PODS.filter((p) => p.labels['pod-template-hash'])) expect(p.name).toContain(`-${p.labels['pod-template-hash']}-`);
    expect(DEMO_PODS.filter((p) => p.labels['app.kubernetes.io/name'] && p.labels.team).length).toBeGreaterThan(10);
  });

  it('names files `<pod>_<namespace>_<container>-<id>.log`, hyphenated container names included', () => {
    const pod = DEMO_PODS.find((p) => p.name === 'postgres-0')!;
    const exporter = pod.containers.find((c) => c.name === 'metrics-exporter')!;
    expect(demoLogFileName(pod, exporter)).toBe(`postgres-0_payments_metrics-exporter-${exporter.id}.log`);
  });
});
