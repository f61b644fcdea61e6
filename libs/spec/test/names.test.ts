import { describe, expect, it } from 'vitest';
import { clusterNames, NODE_CLASSES, nodeClassTaint, resolveClusterSpec, MILVUS_ROLE_NODE_CLASS, type ClusterSpec } from '../src/index.js';
import { testClusterSpec } from '../src/testing.js';

const spec = (provisioner: 'karpenter' | 'cluster-autoscaler'): ClusterSpec =>
  testClusterSpec({ storage: { bucket: 'acme-milvus-prod' }, nodes: { provisioner } });

describe('clusterNames', () => {
  it('derives the Milvus IRSA binding from cluster, account and namespace', () => {
    const n = clusterNames(resolveClusterSpec(spec('karpenter')));
    expect(n.irsa.milvus).toEqual({
      workload: 'milvus',
      namespace: 'milvus',
      serviceAccount: 'milvus',
      roleName: 'prod-us-east-1-milvus',
      roleArn: 'arn:aws:iam::111122223333:role/prod-us-east-1-milvus',
      subject: 'system:serviceaccount:milvus:milvus',
    });
    expect(n.bucketArn).toBe('arn:aws:s3:::acme-milvus-prod');
    expect(n.s3Endpoint).toBe('s3.us-east-1.amazonaws.com');
  });

  it('binds only the node provisioner the cluster runs', () => {
    expect(Object.keys(clusterNames(resolveClusterSpec(spec('karpenter'))).irsa).sort()).toEqual(['etcd-backup', 'karpenter', 'milvus']);
    expect(Object.keys(clusterNames(resolveClusterSpec(spec('cluster-autoscaler'))).irsa).sort()).toEqual(['cluster-autoscaler', 'etcd-backup', 'milvus']);
  });

  it('keeps every IAM role name within 64 characters for the longest allowed cluster name', () => {
    const s = spec('karpenter');
    s.name = 'a'.repeat(32);
    const n = clusterNames(resolveClusterSpec(s));
    for (const b of Object.values(n.irsa)) expect(b.roleName.length).toBeLessThanOrEqual(64);
    expect(n.karpenterNodeRoleName.length).toBeLessThanOrEqual(64);
    expect(n.karpenterInterruptionQueue.length).toBeLessThanOrEqual(80);
  });

  it('tags for Karpenter and Cluster Autoscaler discovery by cluster name', () => {
    const n = clusterNames(resolveClusterSpec(spec('cluster-autoscaler')));
    expect(n.discoveryTag).toEqual({ key: 'karpenter.sh/discovery', value: 'prod-us-east-1' });
    expect(n.clusterAutoscalerTags).toEqual({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/prod-us-east-1': 'owned',
    });
  });
});

describe('placement', () => {
  it('puts serving and coordination on on-demand capacity and only index and data work on spot', () => {
    for (const [role, nodeClass] of Object.entries(MILVUS_ROLE_NODE_CLASS)) {
      const spot = NODE_CLASSES[nodeClass].capacity !== 'on-demand';
      expect({ role, spot }).toEqual({ role, spot: role === 'datanode' || role === 'indexnode' });
    }
  });

  it('taints every class but system', () => {
    expect(nodeClassTaint('system')).toBeUndefined();
    expect(nodeClassTaint('query')).toEqual({ key: 'milvus-gitops.io/node-class', value: 'query', effect: 'NoSchedule' });
  });
});
