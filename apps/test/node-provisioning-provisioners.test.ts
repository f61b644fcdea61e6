import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveClusterSpec, type ClusterSpec, type KubernetesVersion } from '@milvus-gitops/spec';
import { testClusterSpec, type DeepPartial } from '@milvus-gitops/spec/testing';
import { ClusterAutoscaler, KarpenterController, KarpenterNodePools, nodeGroups, nodePools } from '@milvus-gitops/nodes';
import { clusterAutoscalerProps, karpenterProps, nodeGroupsProps, nodePoolsProps } from '../src/node-provisioning.js';

// The provisioners as the node-provisioning app maps a spec to them (Karpenter, Cluster Autoscaler).

type Obj = Record<string, any>;

const spec = (provisioner: 'karpenter' | 'cluster-autoscaler', extra: DeepPartial<ClusterSpec> = {}): ClusterSpec =>
  testClusterSpec({ nodes: { provisioner }, ...extra });

function synth(build: (chart: Chart) => void): Obj[] {
  const chart = new Chart(Testing.app(), 't');
  build(chart);
  return Testing.synth(chart) as Obj[];
}

describe('Karpenter', () => {
  const r = resolveClusterSpec(spec('karpenter'));
  const objs = synth((c) => {
    new KarpenterController(c, 'k', karpenterProps(r).controller);
    new KarpenterNodePools(c, 'p', karpenterProps(r).nodePools);
  });
  const pool = (name: string) => objs.find((o) => o.kind === 'NodePool' && o.metadata.name === name)!;

  it('installs the controller with its IRSA role and the interruption queue from the names module', () => {
    const hr = objs.find((o) => o.kind === 'HelmRelease')!;
    expect(hr.spec.values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/prod-us-east-1-karpenter');
    expect(hr.spec.values.settings).toEqual({
      clusterName: 'prod-us-east-1',
      interruptionQueue: 'prod-us-east-1-karpenter-interruption',
      enableZonalShift: true,
    });
    expect(objs.find((o) => o.kind === 'HelmRepository')!.spec).toMatchObject({ type: 'oci', url: 'oci://public.ecr.aws/karpenter' });
  });

  it('never schedules the controller on a node Karpenter launched, even the system class its own pool labels', () => {
    const values = objs.find((o) => o.kind === 'HelmRelease')!.spec.values;
    const terms = values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms as { matchExpressions: unknown[] }[];
    expect(terms.length).toBeGreaterThan(0);
    // Node-selector terms are ORed: every term must exclude Karpenter's nodes.
    for (const t of terms) expect(t.matchExpressions).toContainEqual({ key: 'karpenter.sh/nodepool', operator: 'DoesNotExist' });
    expect(terms[0]!.matchExpressions).toContainEqual({ key: 'milvus-gitops.io/node-class', operator: 'In', values: ['system'] });
    const systemPool = pool('system');
    expect(systemPool.spec.template.metadata.labels['milvus-gitops.io/node-class']).toBe('system');
  });

  it('discovers subnets and security groups by the cluster tag, IMDSv2 only, encrypted gp3 root, RAID0 on NVMe', () => {
    const classes = objs.filter((o) => o.kind === 'EC2NodeClass');
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(['nvme-raid0', 'standard']);
    for (const c of classes) {
      // The spec's pinned release (testClusterSpec: prod, v20260724) as Karpenter's alias.
      expect(c.spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20260724' }]);
      expect(c.spec.role).toBe('prod-us-east-1-karpenter-node');
      expect(c.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'prod-us-east-1' } }]);
      expect(c.spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'prod-us-east-1' } }]);
      expect(c.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
      expect(c.spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: 'gp3', encrypted: true });
    }
    expect(classes.find((c) => c.metadata.name === 'nvme-raid0')!.spec.instanceStorePolicy).toBe('RAID0');
    expect(classes.find((c) => c.metadata.name === 'standard')!.spec.instanceStorePolicy).toBeUndefined();
  });

  it('runs query nodes on on-demand memory-optimized NVMe instances, tainted, never consolidated at peak', () => {
    const q = pool('query');
    const req = Object.fromEntries(q.spec.template.spec.requirements.map((r: Obj) => [r.key, r.values]));
    expect(req['karpenter.sh/capacity-type']).toEqual(['on-demand']);
    expect(req['karpenter.k8s.aws/instance-family']).toEqual(['r6id', 'r6idn']);
    expect(q.spec.template.spec.nodeClassRef.name).toBe('nvme-raid0');
    expect(q.spec.template.spec.taints).toEqual([{ key: 'milvus-gitops.io/node-class', value: 'query', effect: 'NoSchedule' }]);
    expect(q.spec.disruption.budgets[0]).toMatchObject({ nodes: '0', schedule: expect.any(String), duration: expect.any(String) });
    // Expiry ignores disruption budgets: query nodes take new AMIs through drift, which the budgets pace.
    expect(q.spec.template.spec.expireAfter).toBe('Never');
    expect(q.spec.disruption.budgets[0].reasons).toContain('Drifted');
    expect(q.spec.disruption.budgets.at(-1)).toEqual({ nodes: '1' });
    // So does the system pool, whose nodes hold the etcd members (a cohort expiring together would outrun their PDB).
    expect(pool('system').spec.template.spec.expireAfter).toBe('Never');
    // And is disrupted one node at a time: drift does not wait for the etcd PDB beyond the grace.
    expect(pool('system').spec.disruption.budgets).toEqual([{ nodes: '1' }]);
    expect(pool('data').spec.disruption.budgets).toEqual([{ nodes: '20%' }]);
    for (const name of ['data', 'index-spot', 'index-on-demand']) expect(pool(name).spec.template.spec.expireAfter, name).toBe('720h');
  });

  it('puts index work on spot first with an on-demand fallback by weight, and consolidates spot pools', () => {
    const spot = pool('index-spot');
    const od = pool('index-on-demand');
    expect(spot.spec.weight).toBeGreaterThan(od.spec.weight);
    const cap = (p: Obj) => p.spec.template.spec.requirements.find((r: Obj) => r.key === 'karpenter.sh/capacity-type').values;
    expect(cap(spot)).toEqual(['spot']);
    expect(cap(od)).toEqual(['on-demand']);
    expect(spot.spec.disruption.consolidationPolicy).toBe('WhenEmptyOrUnderutilized');
    expect(cap(pool('data'))).toContain('spot');
    expect(cap(pool('system'))).toEqual(['on-demand']);
  });

  it('bounds every pool with CPU and memory limits', () => {
    for (const p of objs.filter((o) => o.kind === 'NodePool')) expect(Object.keys(p.spec.limits).sort()).toEqual(['cpu', 'memory']);
  });

  it('adds a GPU index pool only when the spec enables GPU index builds', () => {
    expect(nodePools(nodePoolsProps(r)).some((p) => p.nodeClass === 'gpu-index')).toBe(false);
    const gpu = nodePools(nodePoolsProps(resolveClusterSpec(spec('karpenter', { nodes: { provisioner: 'karpenter', gpuIndexBuild: true } }))));
    expect(gpu.filter((p) => p.nodeClass === 'gpu-index').map((p) => p.name)).toEqual(['gpu-index-spot', 'gpu-index-on-demand']);
  });
});

describe('Cluster Autoscaler', () => {
  const r = resolveClusterSpec(spec('cluster-autoscaler', { kubernetes: { version: '1.32' } }));
  const objs = synth((c) => new ClusterAutoscaler(c, 'ca', clusterAutoscalerProps(r)));
  const deployment = objs.find((o) => o.kind === 'Deployment')!;
  const container = deployment.spec.template.spec.containers[0];

  it('runs the release matching the cluster Kubernetes minor', () => {
    for (const v of ['1.29', '1.33'] as KubernetesVersion[]) {
      const d = synth(
        (c) => new ClusterAutoscaler(c, 'ca', clusterAutoscalerProps(resolveClusterSpec(spec('cluster-autoscaler', { kubernetes: { version: v } })))),
      ).find((o) => o.kind === 'Deployment')!;
      expect(d.spec.template.spec.containers[0].image).toMatch(
        new RegExp(`^registry\\.k8s\\.io/autoscaling/cluster-autoscaler:v${v.replace('.', '\\.')}\\.[0-9]+$`),
      );
    }
  });

  it('discovers ASGs by the cluster tags, balances similar groups and expands by priority', () => {
    expect(container.command).toEqual(
      expect.arrayContaining([
        '--cloud-provider=aws',
        '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/prod-us-east-1',
        '--balance-similar-node-groups',
        '--expander=priority',
        '--skip-nodes-with-local-storage=false',
        '--scale-down-unneeded-time=10m',
      ]),
    );
  });

  it('prefers the spot groups of index and data work in the priority expander', () => {
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cluster-autoscaler-priority-expander')!;
    const priorities = parse(cm.data.priorities) as Record<number, string[]>;
    expect(
      Object.keys(priorities)
        .map(Number)
        .sort((a, b) => b - a),
    ).toEqual([50, 10]);
    expect(priorities[50]!.every((re) => /-(index|data)-spot-[a-z]-/.test(re))).toBe(true);
    expect(priorities[10]).toEqual(['.*']);
  });

  it('matches the ASG names EKS gives managed node groups, not the node-group names', () => {
    const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cluster-autoscaler-priority-expander')!;
    const spot = (parse(cm.data.priorities) as Record<number, string[]>)[50]!.map((re) => new RegExp(re));
    const group = 'prod-us-east-1-index-spot-a';
    const asg = `eks-${group}-58c7e4a1-2b3c-4d5e-8f90-0123456789ab`;
    expect(spot.some((re) => re.test(asg))).toBe(true);
    // Neither the bare node-group name nor another group whose name extends this one matches.
    expect(spot.some((re) => re.test(group))).toBe(false);
    expect(spot.filter((re) => re.test(`eks-${group}x-58c7e4a1-2b3c-4d5e-8f90-0123456789ab`))).toEqual([]);
  });

  it('runs under its IRSA ServiceAccount with cluster RBAC', () => {
    expect(deployment.spec.template.spec.serviceAccountName).toBe('cluster-autoscaler');
    const sa = objs.find((o) => o.kind === 'ServiceAccount')!;
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/prod-us-east-1-cluster-autoscaler');
    expect(objs.find((o) => o.kind === 'ClusterRoleBinding')!.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cluster-autoscaler', namespace: 'kube-system' },
    ]);
  });

  it('defines one group per class, capacity type and zone, tagged so the autoscaler can scale from zero', () => {
    const groups = nodeGroups(nodeGroupsProps(r));
    const q = groups.find((g) => g.name === 'prod-us-east-1-query-on-demand-a')!;
    expect(q).toMatchObject({ zone: 'us-east-1a', capacityType: 'on-demand', minSize: 0, labels: { 'milvus-gitops.io/node-class': 'query' } });
    expect(q.tags).toMatchObject({
      'k8s.io/cluster-autoscaler/enabled': 'true',
      'k8s.io/cluster-autoscaler/prod-us-east-1': 'owned',
      'k8s.io/cluster-autoscaler/node-template/label/milvus-gitops.io/node-class': 'query',
      'k8s.io/cluster-autoscaler/node-template/taint/milvus-gitops.io/node-class': 'query:NoSchedule',
    });
    expect(groups.filter((g) => g.capacityType === 'spot').every((g) => g.nodeClass === 'index' || g.nodeClass === 'data')).toBe(true);
  });
});
