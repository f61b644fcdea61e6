import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec, type DeepPartial } from '@milvus-gitops/spec/testing';
import { groupShape, nodeGroups, nodePools, poolShape, unschedulableReason } from '../src/index.js';

// The provisioner constructs as the node-provisioning app maps a spec to them are tested with that
// app (apps/test/node-provisioning-provisioners.test.ts); here, what the node definitions schedule.

const spec = (provisioner: 'karpenter' | 'cluster-autoscaler', extra: DeepPartial<ClusterSpec> = {}): ClusterSpec =>
  testClusterSpec({ nodes: { provisioner }, ...extra });

describe('schedulability', () => {
  const query = poolShape(nodePools(resolveClusterSpec(spec('karpenter'))).find((p) => p.name === 'query')!);
  const pod = (tolerate: boolean) => ({
    containers: [],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'milvus-gitops.io/node-class', operator: 'In', values: ['query'] }] }],
        },
      },
    },
    tolerations: tolerate ? [{ key: 'milvus-gitops.io/node-class', operator: 'Equal', value: 'query', effect: 'NoSchedule' }] : [],
  });

  it('accepts a pod that asks for the class and tolerates its taint', () => {
    expect(unschedulableReason(pod(true), query)).toBeUndefined();
  });

  it('rejects a pod that does not tolerate the taint, or asks for another class', () => {
    expect(unschedulableReason(pod(false), query)).toBe('taint milvus-gitops.io/node-class=query:NoSchedule of NodePool query is not tolerated');
    const data = groupShape(nodeGroups(resolveClusterSpec(spec('cluster-autoscaler')))[0]!);
    expect(unschedulableReason(pod(true), data)).toMatch(/required node affinity matches no node of node group/);
  });
});
