// Renders the manifests the way `kubectl apply -k` does (kubectl kustomize) and checks what a
// reviewer of a cluster install checks first: least-privilege RBAC, read-only host mounts,
// limits, pinned images, one DuckDB writer, and settings that roll the pods when they change.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
type Container = {
  name: string;
  image: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string }; secretKeyRef?: { name: string; key: string } } }>;
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; capabilities?: { drop?: string[] }; allowPrivilegeEscalation?: boolean };
  livenessProbe?: unknown;
};
type PodSpec = { containers: Container[]; volumes?: Array<{ name: string; hostPath?: { path: string } }>; tolerations?: unknown[] };

const SOURCE = path.dirname(new URL(import.meta.url).pathname);
let copy: string;

/** kubectl kustomize of `dir` in a copy of deployment/ holding an ingest token and `settings`. */
function render(dir: string, settings?: string): K8sObject[] {
  if (settings !== undefined) fs.writeFileSync(path.join(copy, 'base', 'logpond.env'), settings);
  const yaml = execFileSync('kubectl', ['kustomize', path.join(copy, dir)], { encoding: 'utf8' });
  return parseAllDocuments(yaml).map((doc) => doc.toJS() as K8sObject);
}

const find = (objects: K8sObject[], kind: string, name?: string) =>
  objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name.startsWith(name)));
const podOf = (workload: K8sObject) => (workload.spec as { template: { spec: PodSpec } }).template.spec;

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'logpond-manifests-'));
  fs.cpSync(SOURCE, copy, { recursive: true, filter: (from) => !from.endsWith('.test.ts') });
  fs.writeFileSync(path.join(copy, 'overlays', 'clickhouse', 'clickhouse.env'), 'LOGPOND_CLICKHOUSE_URL=https://ch.example:8443/logs\nLOGPOND_CLICKHOUSE_PASSWORD=rendered-in-a-test\n');
  fs.writeFileSync(
    path.join(copy, 'base', 'secrets.env'),
    'LOGPOND_INGEST_TOKEN=rendered-in-a-test\nLOGPOND_SESSION_SECRET=0123456789abcdef0123456789abcdef\nLOGPOND_AUTH_USERS=admin:$scrypt$N=16384,r=8,p=1$c2FsdA==$aGFzaA==\n',
  );
});
afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('deployment/ (kubectl apply -k)', () => {
  it('lets the collector only list and watch pods and get namespaces, each rule with its reason', () => {
    const objects = render('.');
    const [role] = find(objects, 'ClusterRole');
    const rules = role.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
    expect(rules.map((r) => [r.apiGroups, r.resources, r.verbs])).toEqual([
      [[''], ['pods'], ['list', 'watch']],
      [[''], ['namespaces'], ['get']],
    ]);
    const [binding] = find(objects, 'ClusterRoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'logpond-collector', namespace: 'logpond' }]);
    // A comment line right above every rule: the reason a reviewer asks for.
    const source = fs.readFileSync(path.join(SOURCE, 'base', 'rbac.yaml'), 'utf8').split('\n');
    const ruleLines = source.flatMap((line, i) => (line.trim().startsWith('- apiGroups:') ? [i] : []));
    expect(ruleLines).toHaveLength(rules.length);
    for (const i of ruleLines) expect(source[i - 1].trim()).toMatch(/^#/);
  });

  it('mounts the host read-only except the checkpoint, and locks the collector down', () => {
    const [daemonSet] = find(render('.'), 'DaemonSet');
    const pod = podOf(daemonSet);
    const [collector] = pod.containers;
    const hostVolumes = new Map((pod.volumes ?? []).filter((v) => v.hostPath).map((v) => [v.name, v.hostPath!.path]));
    expect([...hostVolumes.values()].sort()).toEqual(['/var/lib/docker/containers', '/var/lib/logpond', '/var/log']);
    for (const mount of collector.volumeMounts ?? []) {
      if (!hostVolumes.has(mount.name)) continue;
      expect([mount.mountPath, mount.readOnly ?? false]).toEqual([mount.mountPath, mount.mountPath !== '/var/lib/logpond']);
    }
    expect(collector.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(collector.env?.find((e) => e.name === 'LOGPOND_NODE_NAME')?.valueFrom?.fieldRef?.fieldPath).toBe('spec.nodeName');
    expect(collector.env?.find((e) => e.name === 'LOGPOND_CHECKPOINT')?.value).toMatch(/^\/var\/lib\/logpond\//);
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(collector.livenessProbe).toMatchObject({ httpGet: { path: '/healthz' } });
  });

  it('gives every container requests and a memory limit, and pins every image to a version', () => {
    for (const dir of ['.', 'overlays/single-node', 'overlays/clickhouse']) {
      const containers = [...find(render(dir), 'Deployment'), ...find(render(dir), 'DaemonSet')].flatMap((w) => podOf(w).containers);
      expect(containers.length).toBeGreaterThan(0);
      for (const container of containers) {
        expect(container.resources?.requests?.memory, container.name).toBeDefined();
        expect(container.resources?.limits?.memory, container.name).toBeDefined();
        expect(container.image, container.name).toMatch(/^[\w./-]+:\d+\.\d+\.\d+$/);
        expect(container.image).not.toMatch(/:latest$/);
      }
    }
  });

  it('runs one server with Recreate, on a claimed volume, behind a Service and an Ingress', () => {
    const objects = render('.');
    const [server] = find(objects, 'Deployment', 'logpond-server');
    expect(server.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(podOf(server).volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'logpond-data' } }]);
    expect(find(objects, 'PersistentVolumeClaim', 'logpond-data')).toHaveLength(1);
    const [ingress] = find(objects, 'Ingress');
    expect(ingress.spec).toMatchObject({ ingressClassName: expect.any(String), rules: [{ host: expect.any(String) }], tls: [{ secretName: expect.any(String) }] });
  });

  it('labels every object, and rolls the pods when a setting or the token changes', () => {
    const objects = render('.', 'LOGPOND_RETENTION=7d\n');
    for (const object of objects) {
      expect(object.metadata.labels?.['app.kubernetes.io/part-of'], `${object.kind} ${object.metadata.name}`).toBe('logpond');
    }
    const names = (list: K8sObject[]) => ({
      config: find(list, 'ConfigMap', 'logpond-config-')[0].metadata.name,
      secret: find(list, 'Secret', 'logpond-secrets-')[0].metadata.name,
    });
    const before = names(objects);
    // Every container names the generated objects, hash included: a new hash is a new template.
    for (const workload of [...find(objects, 'Deployment'), ...find(objects, 'DaemonSet')]) {
      for (const container of podOf(workload).containers) {
        const refs = [
          ...(container.envFrom ?? []).map((e) => e.configMapRef?.name ?? e.secretRef?.name),
          ...(container.env ?? []).map((e) => (e.valueFrom as { secretKeyRef?: { name: string } } | undefined)?.secretKeyRef?.name),
        ];
        expect(refs, container.name).toEqual(expect.arrayContaining([before.config, before.secret]));
      }
    }
    const after = names(render('.', 'LOGPOND_RETENTION=30d\n'));
    expect(after.config).not.toBe(before.config);
    expect(after.secret).toBe(before.secret);
    const secrets = path.join(copy, 'base', 'secrets.env');
    fs.writeFileSync(secrets, fs.readFileSync(secrets, 'utf8').replace('rendered-in-a-test', 'a-new-token'));
    expect(names(render('.')).secret).not.toBe(before.secret);
  });

  it('puts the page behind a login, and gives the collectors the ingest token and no other secret', () => {
    const objects = render('.');
    const [server] = find(objects, 'Deployment', 'logpond-server');
    const [daemonSet] = find(objects, 'DaemonSet');
    const secret = find(objects, 'Secret', 'logpond-secrets-')[0];
    expect(Object.keys(secret.data as Record<string, string>).sort()).toEqual(['LOGPOND_AUTH_USERS', 'LOGPOND_INGEST_TOKEN', 'LOGPOND_SESSION_SECRET']);
    expect(podOf(server).containers[0].envFrom).toContainEqual({ secretRef: { name: secret.metadata.name } });
    const [collector] = podOf(daemonSet).containers;
    expect(collector.envFrom?.some((e) => e.secretRef)).toBe(false);
    const secretKeys = (collector.env ?? []).flatMap((e) => {
      const ref = (e.valueFrom as { secretKeyRef?: { key: string } } | undefined)?.secretKeyRef;
      return ref ? [ref.key] : [];
    });
    expect(secretKeys).toEqual(['LOGPOND_INGEST_TOKEN']);
  });

  it('puts the collector beside the server on one node, sending over loopback, with no DaemonSet', () => {
    const objects = render('overlays/single-node');
    expect(find(objects, 'DaemonSet')).toEqual([]);
    const [server] = find(objects, 'Deployment', 'logpond-server');
    const pod = podOf(server);
    expect(pod.containers.map((c) => c.name).sort()).toEqual(['collector', 'server']);
    const collector = pod.containers.find((c) => c.name === 'collector')!;
    expect(collector.env?.find((e) => e.name === 'LOGPOND_SERVER_URL')?.value).toBe('http://127.0.0.1:3000');
    expect((collector.volumeMounts ?? []).filter((m) => m.mountPath !== '/var/lib/logpond').every((m) => m.readOnly)).toBe(true);
    expect(server.spec).toMatchObject({ strategy: { type: 'Recreate' } });
    // The API token is the collector's alone, and its image is the server's.
    expect((pod as PodSpec & { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
    expect(collector.volumeMounts?.some((m) => m.mountPath === '/var/run/secrets/kubernetes.io/serviceaccount')).toBe(true);
    const serverContainer = pod.containers.find((c) => c.name === 'server')!;
    expect(serverContainer.volumeMounts?.some((m) => m.mountPath.startsWith('/var/run/secrets'))).not.toBe(true);
    expect(collector.image).toBe(serverContainer.image);
  });

  it('on ClickHouse: two stateless servers that roll one by one, no volume, the URL from a Secret only they read', () => {
    const objects = render('overlays/clickhouse');
    const [server] = find(objects, 'Deployment', 'logpond-server');
    expect(server.spec).toMatchObject({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } });
    expect(podOf(server).volumes).toBeUndefined();
    expect(find(objects, 'PersistentVolumeClaim')).toEqual([]);
    const [container] = podOf(server).containers;
    expect(container.volumeMounts).toBeUndefined();
    expect(container.env).toContainEqual({ name: 'LOGPOND_STORE', value: 'clickhouse' });
    const secret = find(objects, 'Secret', 'logpond-clickhouse-')[0];
    expect(Object.keys(secret.data as Record<string, string>).sort()).toEqual(['LOGPOND_CLICKHOUSE_PASSWORD', 'LOGPOND_CLICKHOUSE_URL']);
    expect(container.envFrom).toContainEqual({ secretRef: { name: secret.metadata.name } });
    // ClickHouse away makes the pods unready, not restarted.
    expect(container.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
    const [daemonSet] = find(objects, 'DaemonSet');
    expect(podOf(daemonSet).containers[0].envFrom ?? []).not.toContainEqual({ secretRef: { name: secret.metadata.name } });
    expect(JSON.stringify(objects)).not.toContain('$retainKeys');
    // A shipper's resend reaches the replica that remembers the first request.
    const [service] = find(objects, 'Service', 'logpond-server');
    expect(service.spec).toMatchObject({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 1800 } } });
  });
});
