// Karpenter for `karpenter` clusters: the controller as a Flux HelmRelease (IRSA role and
// interruption queue from the names module), EC2NodeClasses and one NodePool per workload class.

import type { V1Affinity } from '@kubernetes/client-node';
import { kubeObject, placeOn, standardLabels } from '@milvus-gitops/core';
import { HelmRelease, HelmRepository } from '@milvus-gitops/flux';
import { IRSA_ROLE_ANNOTATION, NODE_CLASS_LABEL, NODE_CLASSES, nodeClassTaint, type IrsaBinding, type NodeClass } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { classLimits, clusterNodeClasses, NODE_CLASS_CAPACITY, usesSpot, type ClusterNodeClassesProps, type NodeClassLimit } from './classes.js';

/** The Karpenter chart, pinned to the release whose CRDs the validator checks against. */
export const KARPENTER_CHART = { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.0' } as const;

/**
 * The EC2NodeClass AMI alias of an EKS-optimized AL2023 release (`v20260724`, or `latest`):
 * Karpenter v1's `alias` amiSelectorTerm, `<family>@<version>`.
 */
export function amiAlias(version: string): string {
  return `al2023@${version}`;
}

/** Query nodes are never consolidated in these hours (UTC): moving segments at peak costs latency. */
export const QUERY_PEAK_HOURS = { schedule: '0 7 * * mon-fri', duration: '14h' } as const;

/**
 * How long a node lives before Karpenter replaces it, by class. Expiry is forceful: it drains at
 * once and no disruption budget holds it back (Karpenter v1 docs, concepts/disruption: "NodePool
 * Disruption Budgets do not prevent Karpenter from terminating expired nodes"), and what a drain
 * has not evicted by `terminationGracePeriod` is deleted. Nodes started together (a new cluster's
 * minimum) expire together: every query node in the same minutes, peak hours included, each
 * handing its segments over for up to ten minutes within a 2 h grace; every system node with an
 * etcd member, whose PDB lets one go at a time, and whose last members would be deleted together
 * after the 1 h grace if the first had not come back. So query and system nodes never expire:
 * they take new AMIs through drift, one node at a time (their budgets). The index and data
 * classes hold restartable work (mostly on spot) and keep Karpenter's monthly default, so kernel
 * and AMI patches reach them even without drift.
 */
export function nodeExpiry(nodeClass: NodeClass): string {
  return nodeClass === 'query' || nodeClass === 'system' ? 'Never' : '720h';
}

/** A Karpenter requirement (a node selector requirement with optional minValues). */
export interface NodeRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

/** The NodePool spec fields this repository sets (CRD karpenter.sh/v1). */
export interface NodePoolSpec {
  template: {
    metadata: { labels: Record<string, string> };
    spec: {
      nodeClassRef: { group: string; kind: string; name: string };
      requirements: NodeRequirement[];
      taints?: { key: string; value: string; effect: string }[];
      expireAfter: string;
      terminationGracePeriod: string;
    };
  };
  disruption: {
    consolidationPolicy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized';
    consolidateAfter: string;
    budgets: { nodes: string; schedule?: string; duration?: string; reasons?: string[] }[];
  };
  limits: { cpu: string; memory: string };
  weight?: number;
}

/** One NodePool of a cluster, as data (also what the schedulability check reads). */
export interface NodePoolDefinition {
  readonly name: string;
  readonly nodeClass: NodeClass;
  readonly nodeClassName: string;
  readonly spec: NodePoolSpec;
}

/** EC2NodeClass names: NVMe classes stripe their instance store into the node's ephemeral storage. */
export const EC2_NODE_CLASS = { standard: 'standard', nvme: 'nvme-raid0' } as const;

/** Input of nodePools: which classes a cluster runs, how far each may grow, and in which zones. */
export interface NodePoolsProps extends ClusterNodeClassesProps {
  /**
   * CPU cores and GiB of memory each class may grow to (`spec.nodes.limits`): every pool's limits.
   * Karpenter counts a limit per NodePool, so a class of two pools (index: spot, and its on-demand
   * fallback) may reach twice it while both run; each alone must hold the class at its maximum.
   * @default - required, no default
   */
  readonly limits: Readonly<Record<NodeClass, NodeClassLimit>>;
  /**
   * Zones the nodes run in (`spec.aws.availabilityZones`).
   * @default - required, no default
   */
  readonly availabilityZones: readonly string[];
}

/** The NodePools of a cluster. Index work gets a spot pool and an on-demand fallback pool by weight. */
export function nodePools(props: NodePoolsProps): NodePoolDefinition[] {
  const pools: NodePoolDefinition[] = [];
  for (const nodeClass of clusterNodeClasses(props)) {
    const capacity = NODE_CLASS_CAPACITY[nodeClass];
    const limits = classLimits(props.limits, nodeClass);
    const taint = nodeClassTaint(nodeClass);
    const nodeClassName = NODE_CLASSES[nodeClass].localNvme ? EC2_NODE_CLASS.nvme : EC2_NODE_CLASS.standard;
    const variants: { suffix: string; capacityTypes: string[]; weight?: number }[] =
      nodeClass === 'index' || nodeClass === 'gpu-index'
        ? [
            { suffix: '-spot', capacityTypes: ['spot'], weight: 100 },
            { suffix: '-on-demand', capacityTypes: ['on-demand'], weight: 10 },
          ]
        : [{ suffix: '', capacityTypes: usesSpot(nodeClass) ? ['spot', 'on-demand'] : ['on-demand'] }];
    for (const v of variants) {
      const spot = v.capacityTypes.includes('spot');
      pools.push({
        name: `${nodeClass}${v.suffix}`,
        nodeClass,
        nodeClassName,
        spec: {
          template: {
            metadata: { labels: { [NODE_CLASS_LABEL]: nodeClass } },
            spec: {
              nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClassName },
              requirements: [
                { key: 'karpenter.sh/capacity-type', operator: 'In', values: v.capacityTypes },
                { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: [...capacity.families] },
                { key: 'karpenter.k8s.aws/instance-cpu', operator: 'Gt', values: [String(capacity.minCpu - 1)] },
                { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
                { key: 'topology.kubernetes.io/zone', operator: 'In', values: [...props.availabilityZones] },
              ],
              ...(taint ? { taints: [{ key: taint.key, value: taint.value, effect: taint.effect }] } : {}),
              expireAfter: nodeExpiry(nodeClass),
              terminationGracePeriod: nodeClass === 'query' ? '2h' : '1h',
            },
          },
          disruption:
            nodeClass === 'query'
              ? {
                  consolidationPolicy: 'WhenEmpty',
                  consolidateAfter: '10m',
                  budgets: [{ nodes: '0', ...QUERY_PEAK_HOURS, reasons: ['Empty', 'Underutilized', 'Drifted'] }, { nodes: '1' }],
                }
              : {
                  // Spot and restartable work: pack it tightly, it is cheap to move.
                  consolidationPolicy: spot || nodeClass === 'system' ? 'WhenEmptyOrUnderutilized' : 'WhenEmpty',
                  consolidateAfter: spot ? '1m' : '5m',
                  // System nodes hold the etcd members: one at a time. With a terminationGracePeriod,
                  // drift disrupts a node even when a PDB blocks its pods and deletes them when the
                  // grace ends (Karpenter v1.14 docs, concepts/disruption), so 20% of six or more
                  // nodes could take two members at once and the etcd PDB would hold the second only
                  // for the hour of grace.
                  budgets: [{ nodes: nodeClass === 'system' ? '1' : '20%' }],
                },
          limits: { cpu: String(limits.cpu), memory: `${limits.memoryGi}Gi` },
          ...(v.weight !== undefined ? { weight: v.weight } : {}),
        },
      });
    }
  }
  return pools;
}

/** The EC2NodeClass spec fields this repository sets (CRD karpenter.k8s.aws/v1). */
export interface Ec2NodeClassSpec {
  amiSelectorTerms: { alias: string }[];
  role: string;
  subnetSelectorTerms: { tags: Record<string, string> }[];
  securityGroupSelectorTerms: { tags: Record<string, string> }[];
  metadataOptions: { httpEndpoint: string; httpProtocolIPv6: string; httpPutResponseHopLimit: number; httpTokens: string };
  blockDeviceMappings: { deviceName: string; ebs: { volumeSize: string; volumeType: string; encrypted: boolean; deleteOnTermination: boolean } }[];
  instanceStorePolicy?: 'RAID0';
  tags: Record<string, string>;
}

/**
 * IMDS hop limit of every node (Karpenter's EC2NodeClasses and the managed groups' launch template):
 * IMDSv2 only, one hop, so pods cannot borrow the node's role (they have IRSA).
 */
export const NODE_IMDS_HOP_LIMIT = 1;

/** The root volume of every node: AL2023's root device, gp3, encrypted. */
export const NODE_ROOT_VOLUME = { deviceName: '/dev/xvda', sizeGi: 100, type: 'gp3' } as const;

/** Props of KarpenterController: what it renders, mapped from the spec by the node-provisioning app (`karpenterProps`). */
export interface KarpenterProps {
  /**
   * The controller's IRSA binding (`clusterNames(spec).irsa.karpenter`): namespace, ServiceAccount, role.
   * @default - required, no default
   */
  readonly binding: IrsaBinding;
  /**
   * The EKS cluster's name (Karpenter's `settings.clusterName`).
   * @default - required, no default
   */
  readonly clusterName: string;
  /**
   * The SQS queue of interruption events (Karpenter's `settings.interruptionQueue`).
   * @default - required, no default
   */
  readonly interruptionQueue: string;
  /**
   * `app.kubernetes.io/instance` (the cluster's name).
   * @default - required, no default
   */
  readonly instance: string;
}

/** Props of KarpenterNodePools: what they render, mapped from the spec by the node-provisioning app (`karpenterProps`). */
export interface KarpenterNodePoolsProps {
  /**
   * The NodePools (`nodePools(props)`).
   * @default - required, no default
   */
  readonly pools: readonly NodePoolDefinition[];
  /**
   * The IAM role of the nodes the EC2NodeClasses launch.
   * @default - required, no default
   */
  readonly nodeRoleName: string;
  /**
   * The tag that marks the cluster's subnets and security groups for discovery.
   * @default - required, no default
   */
  readonly discoveryTag: { readonly key: string; readonly value: string };
  /**
   * Tags of every instance launched.
   * @default - required, no default
   */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * `app.kubernetes.io/instance` (the cluster's name).
   * @default - required, no default
   */
  readonly instance: string;
  /**
   * The AL2023 release every node runs (`spec.nodes.amiVersion`): `v20260724`, or `latest`.
   * @default 'latest'
   */
  readonly amiVersion?: string;
}

/** The Karpenter controller as a Flux HelmRelease. */
export class KarpenterController extends Construct {
  constructor(scope: Construct, id: string, props: KarpenterProps) {
    super(scope, id);
    const { binding } = props;
    const labels = standardLabels({ name: 'karpenter', instance: props.instance, component: 'controller' });
    const repo = new HelmRepository(this, 'Repository', { name: 'karpenter', url: KARPENTER_CHART.repository, type: 'oci', labels });
    const system = placeOn('system');
    new HelmRelease(this, 'Release', {
      name: 'karpenter',
      targetNamespace: binding.namespace,
      repository: repo,
      chart: KARPENTER_CHART.chart,
      version: KARPENTER_CHART.version,
      labels,
      values: {
        serviceAccount: { name: binding.serviceAccount, annotations: { [IRSA_ROLE_ANNOTATION]: binding.roleArn } },
        // enableZonalShift: no new nodes in a zone ARC has shifted the cluster away from (Karpenter
        // v1.14 chart values.yaml `settings.enableZonalShift`, docs concepts/scheduling); the stack
        // registers the cluster for zonal shift (tools/infra, zonal_shift_config) and grants
        // arc-zonal-shift:GetManagedResource. Without it, replacements for a lost zone's pods are
        // still launched into that zone when the zone spread asks for it.
        settings: { clusterName: props.clusterName, interruptionQueue: props.interruptionQueue, enableZonalShift: true },
        replicas: 2,
        podDisruptionBudget: { name: 'karpenter', maxUnavailable: 1 },
        // Karpenter must not run on capacity it manages. Helm replaces lists, so this affinity
        // replaces the chart's default (charts/karpenter/values.yaml: `karpenter.sh/nodepool
        // DoesNotExist`): keep that rule in the same term as the system class, which Karpenter's own
        // `system` NodePool also labels. The chart's host anti-affinity (a map) still merges in.
        affinity: controllerAffinity(system.affinity),
        tolerations: system.tolerations,
        controller: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } },
      },
    });
  }
}

/** Label Karpenter puts on every node it launches (karpenter.sh/v1 NodePool). */
export const KARPENTER_NODEPOOL_LABEL = 'karpenter.sh/nodepool';

/** `affinity` with every required node-selector term also requiring a node Karpenter did not launch. */
export function controllerAffinity(affinity: V1Affinity | undefined): V1Affinity {
  const required = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const notKarpenter = { key: KARPENTER_NODEPOOL_LABEL, operator: 'DoesNotExist' };
  const terms = (required?.nodeSelectorTerms ?? [{}]).map((t) => ({ ...t, matchExpressions: [...(t.matchExpressions ?? []), notKarpenter] }));
  return { ...affinity, nodeAffinity: { ...affinity?.nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } };
}

/** EC2NodeClasses and NodePools; applied after the controller has installed the CRDs. */
export class KarpenterNodePools extends Construct {
  constructor(scope: Construct, id: string, props: KarpenterNodePoolsProps) {
    super(scope, id);
    const labels = standardLabels({ name: 'karpenter', instance: props.instance, component: 'node-pools' });
    const discovery = { [props.discoveryTag.key]: props.discoveryTag.value };
    for (const [key, nodeClassName] of Object.entries(EC2_NODE_CLASS)) {
      kubeObject<{ spec: Ec2NodeClassSpec }>(this, `NodeClass-${key}`, {
        apiVersion: 'karpenter.k8s.aws/v1',
        kind: 'EC2NodeClass',
        metadata: { name: nodeClassName, labels },
        spec: {
          amiSelectorTerms: [{ alias: amiAlias(props.amiVersion ?? 'latest') }],
          role: props.nodeRoleName,
          subnetSelectorTerms: [{ tags: discovery }],
          securityGroupSelectorTerms: [{ tags: discovery }],
          metadataOptions: { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: NODE_IMDS_HOP_LIMIT, httpTokens: 'required' },
          blockDeviceMappings: [
            {
              deviceName: NODE_ROOT_VOLUME.deviceName,
              ebs: { volumeSize: `${NODE_ROOT_VOLUME.sizeGi}Gi`, volumeType: NODE_ROOT_VOLUME.type, encrypted: true, deleteOnTermination: true },
            },
          ],
          ...(nodeClassName === EC2_NODE_CLASS.nvme ? { instanceStorePolicy: 'RAID0' as const } : {}),
          tags: { ...props.tags },
        },
      });
    }
    for (const pool of props.pools) {
      kubeObject<{ spec: NodePoolSpec }>(this, `NodePool-${pool.name}`, {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodePool',
        metadata: { name: pool.name, labels },
        spec: pool.spec,
      });
    }
  }
}
