// The little cluster the demo writer pretends to run: a shop, payments, auth, monitoring, an
// ingress and kube-system, on three nodes. Names follow what the controllers generate
// (deployment pods `<name>-<template-hash>-<suffix>`, stateful `<name>-0`, daemon set
// `<name>-<suffix>`), and container ids are fixed, so every run writes the same file names.

import { createHash } from 'node:crypto';
import type { KnownPod } from '../meta/metadata-provider';
import type { ContainerKind } from './line-generator';

export interface DemoContainer {
  /** Container name as in the pod spec; several have hyphens, which the file name must survive. */
  name: string;
  /** 64 hex digits, like a containerd container id. */
  id: string;
  kind: ContainerKind;
  /** The workload this container logs for; a sidecar logs for its pod's app. */
  service: string;
  /** Relative share of the cluster's lines: the ingress and the shop front are chatty, kube-proxy is not. */
  weight: number;
}

/** A pod of the demo cluster: what a metadata provider knows of a pod, plus how it logs. */
export interface DemoPod extends KnownPod {
  containers: DemoContainer[];
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function podUid(namespace: string, name: string): string {
  const h = digest(`uid/${namespace}/${name}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type ContainerSpec = Omit<DemoContainer, 'id'>;

function pod(
  namespace: string,
  name: string,
  node: string,
  labels: Record<string, string>,
  annotations: Record<string, string>,
  containers: ContainerSpec[],
): DemoPod {
  return {
    namespace,
    name,
    uid: podUid(namespace, name),
    node,
    labels,
    annotations,
    containers: containers.map((c) => ({ ...c, id: digest(`container/${namespace}/${name}/${c.name}`) })),
  };
}

const MESHED = { 'security.istio.io/tlsMode': 'istio' };
const SIDECAR_STATUS =
  '{"initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["workload-socket","credential-socket","workload-certs","istio-envoy","istio-data","istio-podinfo","istio-token","istiod-ca-cert"],"imagePullSecrets":null,"revision":"default"}';

function meshAnnotations(app: string): Record<string, string> {
  return {
    'kubectl.kubernetes.io/default-container': app,
    'sidecar.istio.io/status': SIDECAR_STATUS,
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '15020',
    'prometheus.io/path': '/stats/prometheus',
  };
}

function appLabels(app: string, version: string, component: string, partOf: string, team: string): Record<string, string> {
  return {
    app,
    version: `v${version.split('.')[0]}`,
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/version': version,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': partOf,
    'app.kubernetes.io/managed-by': 'Helm',
    team,
  };
}

const sidecar = (service: string, weight: number): ContainerSpec => ({ name: 'istio-proxy', kind: 'envoy', service, weight });

function storefront(name: string, node: string): DemoPod {
  return pod(
    'shop',
    name,
    node,
    { ...appLabels('storefront', '2.14.1', 'frontend', 'shop', 'web'), 'pod-template-hash': '6c8d9f7b4', ...MESHED, 'service.istio.io/canonical-name': 'storefront' },
    meshAnnotations('storefront'),
    [{ name: 'storefront', kind: 'web-json', service: 'storefront', weight: 3 }, sidecar('storefront', 2.5)],
  );
}

function checkout(name: string, node: string): DemoPod {
  return pod(
    'shop',
    name,
    node,
    { ...appLabels('checkout', '1.9.0', 'api', 'shop', 'checkout'), 'pod-template-hash': '7d9f8b6c5', ...MESHED, 'service.istio.io/canonical-name': 'checkout' },
    meshAnnotations('checkout'),
    [{ name: 'checkout', kind: 'go-logfmt', service: 'checkout', weight: 2 }, sidecar('checkout', 2)],
  );
}

function paymentGateway(name: string, node: string): DemoPod {
  return pod(
    'payments',
    name,
    node,
    { ...appLabels('payment-gateway', '3.2.7', 'api', 'payments', 'payments'), 'pod-template-hash': '84f6d7c9b5', ...MESHED, 'service.istio.io/canonical-name': 'payment-gateway' },
    meshAnnotations('payment-gateway'),
    [{ name: 'payment-gateway', kind: 'java', service: 'payment-gateway', weight: 1.5 }, sidecar('payment-gateway', 1.5)],
  );
}

function authApi(name: string, node: string): DemoPod {
  return pod(
    'auth',
    name,
    node,
    { ...appLabels('auth-api', '5.0.3', 'api', 'identity', 'identity'), 'pod-template-hash': '59c7f8d6b4' },
    { 'kubectl.kubernetes.io/default-container': 'auth-api', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464' },
    [{ name: 'auth-api', kind: 'web-json', service: 'auth-api', weight: 1.5 }],
  );
}

function coredns(name: string, node: string): DemoPod {
  return pod(
    'kube-system',
    name,
    node,
    { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' },
    { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9153' },
    [{ name: 'coredns', kind: 'coredns', service: 'coredns', weight: 1.2 }],
  );
}

function kubeProxy(name: string, node: string): DemoPod {
  return pod(
    'kube-system',
    name,
    node,
    { 'k8s-app': 'kube-proxy', 'controller-revision-hash': '7f8b9c6d5', 'pod-template-generation': '1' },
    {},
    [{ name: 'kube-proxy', kind: 'klog', service: 'kube-proxy', weight: 0.3 }],
  );
}

export const DEMO_PODS: DemoPod[] = [
  storefront('storefront-6c8d9f7b4-x7v2q', 'node-a'),
  storefront('storefront-6c8d9f7b4-mk9tz', 'node-b'),
  checkout('checkout-7d9f8b6c5-x2k4p', 'node-b'),
  checkout('checkout-7d9f8b6c5-q8m2n', 'node-c'),
  pod(
    'shop',
    'catalog-5b7c9d8f6-h4wzr',
    'node-a',
    { ...appLabels('catalog', '4.1.0', 'api', 'shop', 'catalog'), 'pod-template-hash': '5b7c9d8f6', ...MESHED, 'service.istio.io/canonical-name': 'catalog' },
    meshAnnotations('catalog'),
    [{ name: 'catalog', kind: 'java', service: 'catalog', weight: 2 }, sidecar('catalog', 1.5)],
  ),
  paymentGateway('payment-gateway-84f6d7c9b5-2lq8s', 'node-a'),
  paymentGateway('payment-gateway-84f6d7c9b5-t6n4v', 'node-c'),
  pod(
    'payments',
    'ledger-worker-6f5d8c7b9-9pxkd',
    'node-b',
    { ...appLabels('ledger-worker', '0.18.2', 'worker', 'payments', 'payments'), 'pod-template-hash': '6f5d8c7b9' },
    { 'kubectl.kubernetes.io/default-container': 'ledger-worker' },
    [{ name: 'ledger-worker', kind: 'python-worker', service: 'ledger-worker', weight: 1 }],
  ),
  pod(
    'payments',
    'postgres-0',
    'node-c',
    {
      'app.kubernetes.io/name': 'postgresql',
      'app.kubernetes.io/instance': 'ledger-db',
      'app.kubernetes.io/version': '16.4',
      'app.kubernetes.io/component': 'primary',
      'controller-revision-hash': 'postgres-6d8f7c9b5d',
      'statefulset.kubernetes.io/pod-name': 'postgres-0',
      'apps.kubernetes.io/pod-index': '0',
      team: 'payments',
    },
    { 'kubectl.kubernetes.io/default-container': 'postgres', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9187' },
    [
      { name: 'postgres', kind: 'postgres', service: 'postgres', weight: 1 },
      { name: 'metrics-exporter', kind: 'go-logfmt', service: 'postgres-exporter', weight: 0.3 },
    ],
  ),
  authApi('auth-api-59c7f8d6b4-bz5jw', 'node-a'),
  authApi('auth-api-59c7f8d6b4-r2mfx', 'node-b'),
  pod(
    'monitoring',
    'prometheus-server-0',
    'node-c',
    {
      'app.kubernetes.io/name': 'prometheus',
      'app.kubernetes.io/instance': 'prometheus',
      'app.kubernetes.io/version': 'v3.1.0',
      'app.kubernetes.io/component': 'server',
      'controller-revision-hash': 'prometheus-server-5f7b8c9d6',
      'statefulset.kubernetes.io/pod-name': 'prometheus-server-0',
      team: 'platform',
    },
    { 'kubectl.kubernetes.io/default-container': 'prometheus-server' },
    [
      { name: 'prometheus-server', kind: 'prometheus', service: 'prometheus', weight: 0.5 },
      { name: 'config-reloader', kind: 'go-logfmt', service: 'config-reloader', weight: 0.1 },
    ],
  ),
  pod(
    'monitoring',
    'grafana-7c9d5f8b6d-wq7hn',
    'node-b',
    { ...appLabels('grafana', '11.3.1', 'dashboards', 'monitoring', 'platform'), 'pod-template-hash': '7c9d5f8b6d' },
    { 'kubectl.kubernetes.io/default-container': 'grafana' },
    [{ name: 'grafana', kind: 'go-logfmt', service: 'grafana', weight: 0.5 }],
  ),
  pod(
    'ingress-nginx',
    'ingress-nginx-controller-6d5f7c8b9-p4hxz',
    'node-a',
    {
      'app.kubernetes.io/name': 'ingress-nginx',
      'app.kubernetes.io/instance': 'ingress-nginx',
      'app.kubernetes.io/version': '1.12.0',
      'app.kubernetes.io/component': 'controller',
      'pod-template-hash': '6d5f7c8b9',
      team: 'platform',
    },
    { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '10254' },
    [{ name: 'controller', kind: 'nginx-ingress', service: 'ingress-nginx', weight: 5 }],
  ),
  coredns('coredns-7db6d8ff4d-4hkxb', 'node-a'),
  coredns('coredns-7db6d8ff4d-vn9rz', 'node-c'),
  kubeProxy('kube-proxy-8xk2p', 'node-a'),
  kubeProxy('kube-proxy-m4r7t', 'node-b'),
  kubeProxy('kube-proxy-z9w5c', 'node-c'),
];

/** The kubelet's name for a container's log in /var/log/containers: `<pod>_<namespace>_<container>-<id>.log`. */
export function demoLogFileName(pod: Pick<DemoPod, 'name' | 'namespace'>, container: Pick<DemoContainer, 'name' | 'id'>): string {
  return `${pod.name}_${pod.namespace}_${container.name}-${container.id}.log`;
}
