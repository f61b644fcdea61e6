import { describe, expect, it } from 'vitest';
import type { Manifest } from '@milvus-gitops/core/manifest';
import { runReadiness, type ClusterContext } from '../src/index.js';

const ctx: ClusterContext = {
  provided: [{ kind: 'CSIDriver', name: 'ebs.csi.aws.com', by: 'test' }],
  appOf: () => undefined,
  milvusVersion: '2.6.15',
  provisioner: 'karpenter',
};
const obj = (kind: string, name: string, rest: Record<string, unknown> = {}, namespace?: string): Manifest =>
  ({ apiVersion: kind === 'Ingress' ? 'networking.k8s.io/v1' : 'v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...rest }) as Manifest;

describe('readiness rules on objects outside the example clusters', () => {
  it('needs a class for every Ingress and every standalone PersistentVolumeClaim', () => {
    const failures = runReadiness(
      [
        obj('Ingress', 'web', { spec: { ingressClassName: 'alb' } }, 'default'),
        obj('PersistentVolumeClaim', 'data', { spec: { storageClassName: 'fast' } }, 'default'),
      ],
      ctx,
    ).map((f) => `${f.object.kind} ${f.path}: ${f.message}`);
    expect(failures).toEqual([
      'Ingress spec.ingressClassName: [storage-driver-installed] IngressClass alb is neither rendered nor provided: install its controller (and class) or fix the name',
      'PersistentVolumeClaim spec.storageClassName: [references-exist] StorageClass fast is neither rendered nor provided to this cluster: render it or declare who provides it (libs/spec provided.ts)',
    ]);
  });

  it('accepts them when the class is rendered, and a StorageClass whose driver the cluster has', () => {
    const objects = [
      obj('Ingress', 'web', { spec: { ingressClassName: 'alb' } }, 'default'),
      { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'alb' } } as Manifest,
      obj('PersistentVolumeClaim', 'data', { spec: { storageClassName: 'fast' } }, 'default'),
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com' } as unknown as Manifest,
    ];
    expect(runReadiness(objects, ctx)).toEqual([]);
  });
});
