import { describe, expect, it } from 'vitest';
import { synthApp } from '@milvus-gitops/core';
import { milvusUserConfig } from '@milvus-gitops/milvus';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { milvusApp, milvusUserConfigProps } from '../src/milvus.js';

const spec = testClusterSpec({
  name: 'staging-eu-west-1',
  environment: 'staging',
  aws: { accountId: '444455556666' },
  milvus: { version: '2.5.26', namespace: 'vectors', messageQueue: { type: 'kafka', brokers: ['b-1:9092'] } },
});

describe('milvus app', () => {
  const objects = synthApp(milvusApp, resolveClusterSpec(spec));
  const find = (kind: string) => objects.filter((o) => o.kind === kind);

  it('puts every namespaced object in the namespace the spec names', () => {
    expect(find('Namespace').map((n) => n.metadata.name)).toEqual(['vectors']);
    const clusterScoped = new Set(['Namespace', 'StorageClass']);
    for (const o of objects.filter((o) => !clusterScoped.has(o.kind))) expect(o.metadata.namespace).toBe('vectors');
  });

  it('runs Milvus under its own ServiceAccount bound to the cluster IRSA role', () => {
    const sa = find('ServiceAccount').find((s) => s.metadata.name === 'milvus');
    expect(sa!.metadata.annotations!['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::444455556666:role/staging-eu-west-1-milvus');
  });

  it('carries the app.kubernetes.io labels on every object', () => {
    for (const o of objects) {
      expect(o.metadata.labels!['app.kubernetes.io/name']).toMatch(/^(milvus|etcd)$/);
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/part-of': 'milvus',
        'app.kubernetes.io/managed-by': 'milvus-eks-gitops',
      });
    }
  });
});

describe('user.yaml of a cluster', () => {
  const prod = (milvus: ClusterSpec['milvus']): ClusterSpec => testClusterSpec({ milvus, storage: { bucket: 'acme-milvus-prod' } });

  it('maps the spec to the bucket, endpoint, prefixes, region, queue and coordinators user.yaml names', () => {
    expect(milvusUserConfigProps(resolveClusterSpec(prod({ version: '2.6.15', mixCoord: { replicas: 2 } })))).toEqual({
      namespace: 'milvus',
      minor: '2.6',
      etcdRootPath: 'prod-us-east-1',
      s3Endpoint: 's3.us-east-1.amazonaws.com',
      bucket: 'acme-milvus-prod',
      rootPath: 'prod-us-east-1',
      region: 'us-east-1',
      messageQueue: { type: 'woodpecker', mode: 'embedded' },
      snapshotWindowSeconds: expect.any(Number),
      logLevel: 'info',
      mixCoordReplicas: 2,
    });
    expect(milvusUserConfigProps(resolveClusterSpec(spec)).logLevel).toBe('debug');
  });

  it('keeps dropped segment files at least as long as the oldest etcd snapshot reaches back', () => {
    const s = prod({ version: '2.6.15' });
    s.milvus.etcd = { snapshotSchedule: '0 * * * *', snapshotsRetained: 72 };
    const c = milvusUserConfig(milvusUserConfigProps(resolveClusterSpec(s))) as Record<string, any>;
    expect(c.dataCoord.gc.dropTolerance).toBe(72 * 3600);
    s.milvus.etcd = { snapshotSchedule: '*/30 * * * *', snapshotsRetained: 2 };
    // Never below the upstream default of three hours.
    expect((milvusUserConfig(milvusUserConfigProps(resolveClusterSpec(s))) as Record<string, any>).dataCoord.gc.dropTolerance).toBe(10800);
  });
});
