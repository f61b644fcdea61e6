import type { V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { APPS, renderCluster } from '@milvus-gitops/cli';
import { nodeGroupsProps } from '@milvus-gitops/apps/node-provisioning';
import {
  groupShape,
  INSTANCE_TYPES,
  NODE_CLASS_CAPACITY,
  nodeGroups,
  nodePools,
  packing,
  poolShape,
  schedulableOn,
  type NodeShape,
} from '@milvus-gitops/nodes';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { EXAMPLES } from './clusters.js';

type Obj = Record<string, any>;

/** Every pod template the milvus app renders, named by its workload. */
function milvusPods(name: string): { workload: string; component: string; pod: V1PodSpec }[] {
  return renderCluster(EXAMPLES[name]!, APPS)
    .files.filter((f) => f.path.startsWith('milvus/'))
    .map((f) => f.object as Obj)
    .flatMap((o) => {
      const template = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec?.template;
      return template
        ? [{ workload: `${o.kind} ${o.metadata.name}`, component: String(template.metadata?.labels?.['app.kubernetes.io/component']), pod: template.spec }]
        : [];
    });
}

/** The node shapes the cluster's provisioner can create. */
function shapes(name: string): { shape: NodeShape; spot: boolean }[] {
  const spec = resolveClusterSpec(EXAMPLES[name]!);
  if (spec.nodes.provisioner === 'karpenter') {
    return nodePools({ gpuIndexBuild: spec.nodes.gpuIndexBuild, limits: spec.nodes.limits, availabilityZones: spec.aws.availabilityZones }).map((p) => ({
      shape: poolShape(p),
      spot: p.spec.template.spec.requirements.some((r) => r.key === 'karpenter.sh/capacity-type' && (r.values ?? []).includes('spot')),
    }));
  }
  // The groups the infrastructure creates ASGs for.
  return nodeGroups(nodeGroupsProps(spec)).map((g) => ({ shape: groupShape(g), spot: g.capacityType === 'spot' }));
}

describe.each(Object.keys(EXAMPLES))('nodes of %s', (name) => {
  const pods = milvusPods(name);
  const available = shapes(name);

  it('can schedule every Milvus and etcd pod on some NodePool or node group', () => {
    expect(pods.length).toBeGreaterThan(5);
    for (const p of pods) {
      const fits = schedulableOn(
        p.pod,
        available.map((a) => a.shape),
      );
      expect({ workload: p.workload, fits: fits.length > 0 }).toEqual({ workload: p.workload, fits: true });
    }
  });

  it('uses spot capacity only for index and data work', () => {
    for (const p of pods) {
      const onSpot = available.filter((a) => a.spot).some((a) => schedulableOn(p.pod, [a.shape]).length > 0);
      expect({ workload: p.workload, onSpot }).toEqual({ workload: p.workload, onSpot: p.component === 'datanode' || p.component === 'indexnode' });
    }
  });
});

describe.each(Object.keys(EXAMPLES))('query-node sizing of %s', (name) => {
  const spec = resolveClusterSpec(EXAMPLES[name]!);
  const q = spec.milvus.queryNode.resources.requests;
  const pod = { cpu: q.cpu, memory: q.memory, ephemeralStorage: spec.milvus.queryNodeCacheSize };
  // What the provisioner may launch for the query class: Karpenter any size of the families from
  // minCpu up (the types this repository knows), Cluster Autoscaler the node groups' types.
  const capacity = NODE_CLASS_CAPACITY.query;
  const types = Object.entries(INSTANCE_TYPES).filter(([t, i]) =>
    spec.nodes.provisioner === 'karpenter' ? capacity.families.includes(t.split('.')[0]!) && i.vcpu >= capacity.minCpu : capacity.instanceTypes.includes(t),
  );

  it('fits a query pod on at least one instance type its pool allows, after what the node keeps', () => {
    expect(types.length).toBeGreaterThan(0);
    expect(types.some(([, t]) => packing(t, pod).pods >= 1)).toBe(true);
  });

  it('packs query pods onto an allowed instance with less than a quarter of its vCPUs or memory idle', () => {
    const best = types
      .map(([t, i]) => ({ t, ...packing(i, pod) }))
      .filter((p) => p.pods > 0)
      .sort((a, b) => Math.max(a.idleCpu, a.idleMemory) - Math.max(b.idleCpu, b.idleMemory))[0]!;
    expect(best.idleCpu, `${best.t}: ${best.pods} pods`).toBeLessThan(0.25);
    expect(best.idleMemory, `${best.t}: ${best.pods} pods`).toBeLessThan(0.25);
  });
});
