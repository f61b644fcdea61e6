import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { riskyChanges } from '../src/index.js';

const config = (mq: string) =>
  stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'milvus-config', namespace: 'milvus' },
    data: { 'user.yaml': stringify({ mq: { type: mq } }) },
  });
const tree = (mq: string) => ({ 'c/milvus/configmap-milvus-milvus-config.yaml': config(mq) });

describe('riskyChanges', () => {
  it('refuses a message-queue switch as an error', () => {
    expect(riskyChanges(tree('kafka'), tree('pulsar'), [], () => 'staging')).toEqual([
      expect.objectContaining({ id: 'message-queue-change', level: 'error', cluster: 'c' }),
    ]);
  });

  it('reports an error the head spec acknowledges as a warning with the reason', () => {
    const [risk] = riskyChanges(
      tree('kafka'),
      tree('pulsar'),
      [],
      () => 'staging',
      () => ({ 'message-queue-change': 'the WAL was drained and Kafka retired on 2026-11-30' }),
    );
    expect(risk).toMatchObject({ id: 'message-queue-change', level: 'warning' });
    expect(risk!.message).toMatch(/\(acknowledged in the spec: the WAL was drained and Kafka retired on 2026-11-30\)$/);
  });

  it('does not let an acknowledgement of one risk cover another', () => {
    const [risk] = riskyChanges(
      tree('kafka'),
      tree('pulsar'),
      [],
      () => 'staging',
      () => ({ 'milvus-downgrade': 'not this one, on purpose' }),
    );
    expect(risk!.level).toBe('error');
  });
});

describe('riskyChanges on fields Kubernetes does not let an update change', () => {
  const sts = (storage: string, image: string) =>
    stringify({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'milvus-etcd', namespace: 'milvus' },
      spec: {
        serviceName: 'milvus-etcd-headless',
        replicas: 3,
        selector: { matchLabels: { app: 'etcd' } },
        template: { metadata: { labels: { app: 'etcd' } }, spec: { containers: [{ name: 'etcd', image }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage } } } }],
      },
    });
  const at = 'c/milvus/statefulset-milvus-milvus-etcd.yaml';
  const immutable = (base: Record<string, string>, head: Record<string, string>) =>
    riskyChanges(base, head, [], () => 'staging').filter((r) => r.id === 'immutable-field-change');

  it("refuses a StatefulSet's new volume claim size as an error naming the object, the file and the field", () => {
    const risks = immutable({ [at]: sts('50Gi', 'etcd:v3.5.21') }, { [at]: sts('100Gi', 'etcd:v3.5.21') });
    expect(risks).toEqual([expect.objectContaining({ level: 'error', cluster: 'c' })]);
    expect(risks[0]!.message).toMatch(
      /^StatefulSet milvus\/milvus-etcd \(c\/milvus\/statefulset-milvus-milvus-etcd\.yaml\) changes spec\.volumeClaimTemplates, which Kubernetes refuses/,
    );
  });

  it('lets the pod template, replicas and other updatable fields change', () => {
    expect(immutable({ [at]: sts('50Gi', 'etcd:v3.5.21') }, { [at]: sts('50Gi', 'etcd:v3.5.25') })).toEqual([]);
  });

  it("refuses a workload's new selector and a StorageClass's new parameters", () => {
    const deploy = (app: string) =>
      stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'proxy', namespace: 'milvus' }, spec: { selector: { matchLabels: { app } } } });
    const sc = (type: string) =>
      stringify({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' }, provisioner: 'ebs.csi.aws.com', parameters: { type } });
    const risks = immutable(
      { 'c/milvus/deployment.yaml': deploy('proxy'), 'c/np/storageclass.yaml': sc('gp3') },
      { 'c/milvus/deployment.yaml': deploy('milvus-proxy'), 'c/np/storageclass.yaml': sc('io2') },
    );
    expect(risks.map((r) => r.message.split(', which')[0])).toEqual([
      'Deployment milvus/proxy (c/milvus/deployment.yaml) changes spec.selector',
      'StorageClass gp3 (c/np/storageclass.yaml) changes parameters',
    ]);
  });

  it("refuses a binding's new roleRef and a Service turned headless", () => {
    const binding = (role: string) =>
      stringify({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'b', namespace: 'm' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      });
    const svc = (clusterIP?: string) =>
      stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's', namespace: 'm' },
        spec: { ...(clusterIP ? { clusterIP } : {}), ports: [{ port: 1 }] },
      });
    const risks = immutable({ 'c/m/b.yaml': binding('reader'), 'c/m/s.yaml': svc() }, { 'c/m/b.yaml': binding('writer'), 'c/m/s.yaml': svc('None') });
    expect(risks.map((r) => r.message.split(', which')[0])).toEqual([
      'RoleBinding m/b (c/m/b.yaml) changes roleRef',
      'Service m/s (c/m/s.yaml) changes spec.clusterIP',
    ]);
  });
});

describe('riskyChanges on objects holding data', () => {
  const sts = (name: string) =>
    stringify({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, namespace: 'milvus', annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' } },
      spec: { selector: { matchLabels: { app: 'etcd' } }, volumeClaimTemplates: [{ metadata: { name: 'data' } }] },
    });
  const removed = (base: Record<string, string>, head: Record<string, string>) =>
    riskyChanges(base, head, [], () => 'staging').filter((r) => r.id === 'data-removed');

  it('warns when a StatefulSet with volumes leaves the render', () => {
    expect(removed({ 'c/m/a.yaml': sts('milvus-etcd') }, { 'c/m/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n' })).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^StatefulSet milvus\/milvus-etcd \(c\/m\/a\.yaml\) leaves the render/) }),
    ]);
  });

  it('warns, not refuses, when a StatefulSet moves to another namespace (its Services do not follow)', () => {
    const moved = sts('milvus-etcd').replace('namespace: milvus', 'namespace: milvus2');
    expect(removed({ 'c/m/a.yaml': sts('milvus-etcd') }, { 'c/m/b.yaml': moved }).map((r) => r.level)).toEqual(['warning']);
  });

  it('refuses a renamed StatefulSet whose pods the old one still matches', () => {
    expect(removed({ 'c/m/a.yaml': sts('milvus-etcd') }, { 'c/m/b.yaml': sts('milvus-metadata') })).toEqual([
      expect.objectContaining({
        level: 'error',
        message: expect.stringMatching(/^StatefulSet milvus\/milvus-etcd \(c\/m\/a\.yaml\) is renamed to milvus-metadata: /),
      }),
    ]);
  });
});
