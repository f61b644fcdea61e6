import { describe, expect, it } from 'vitest';
import { groupShape, nodeGroups, nodePools, poolShape, unschedulableReason, type NodePoolsProps } from '../src/index.js';

// The provisioner constructs as the node-provisioning app maps a spec to them are tested with that
// app (apps/test/node-provisioning-provisioners.test.ts); here, what the node definitions schedule.

/** Three zones, no GPU class, room for a few nodes of each class. */
const classes: NodePoolsProps = {
  gpuIndexBuild: false,
  limits: {
    system: { cpu: 16, memoryGi: 64 },
    query: { cpu: 64, memoryGi: 512 },
    index: { cpu: 32, memoryGi: 64 },
    data: { cpu: 32, memoryGi: 64 },
    'gpu-index': { cpu: 0, memoryGi: 0 },
  },
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
};

describe('schedulability', () => {
  const query = poolShape(nodePools(classes).find((p) => p.name === 'query')!);
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
    const data = groupShape(nodeGroups({ ...classes, nodeGroupName: (c) => `prod-us-east-1-${c}`, tags: {}, clusterAutoscalerTags: {} })[0]!);
    expect(unschedulableReason(pod(true), data)).toMatch(/required node affinity matches no node of node group/);
  });
});
