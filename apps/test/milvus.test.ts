import { describe, expect, it } from 'vitest';
import { synthApp } from '@milvus-gitops/core';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { milvusApp } from '../src/milvus.js';

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
