// Cluster Autoscaler for `cluster-autoscaler` clusters: the node-group definitions (exported for
// the infrastructure package, which creates matching ASGs) and the controller with RBAC and IRSA.

import type { V1ClusterRole, V1ClusterRoleBinding, V1ConfigMap, V1Deployment, V1PodDisruptionBudget, V1Role, V1RoleBinding } from '@kubernetes/client-node';
import { IrsaServiceAccount, kubeObject, placeOn, restrictedContainerSecurityContext, restrictedPodSecurityContext, standardLabels } from '@milvus-gitops/core';
import { NODE_CLASS_LABEL, nodeClassTaint, type IrsaBinding, type KubernetesVersion, type NodeClass } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { classLimits, clusterNodeClasses, NODE_CLASS_CAPACITY, usesSpot } from './classes.js';
import type { NodePoolsProps } from './karpenter.js';

/** Cluster Autoscaler releases, one per Kubernetes minor (the autoscaler must match the control plane). */
export const CLUSTER_AUTOSCALER_VERSIONS: Readonly<Record<KubernetesVersion, string>> = {
  '1.29': 'v1.29.4',
  '1.30': 'v1.30.2',
  '1.31': 'v1.31.1',
  '1.32': 'v1.32.0',
  '1.33': 'v1.33.0',
  '1.34': 'v1.34.0',
};

/** The image for a Kubernetes minor. */
export function clusterAutoscalerImage(version: KubernetesVersion): string {
  return `registry.k8s.io/autoscaling/cluster-autoscaler:${CLUSTER_AUTOSCALER_VERSIONS[version]}`;
}

/** One Auto Scaling group the infrastructure creates and the Cluster Autoscaler discovers. */
export interface NodeGroupDefinition {
  /** Managed node-group name: `<cluster>-<class>-<spot|on-demand>-<zone letter>` (EKS names its ASG `eks-<name>-<uuid>`). */
  readonly name: string;
  readonly nodeClass: NodeClass;
  /** One zone per group, so zone-spread pods can ask for capacity in a given zone. */
  readonly zone: string;
  readonly capacityType: 'spot' | 'on-demand';
  /** Instance types of the mixed instances policy. */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  readonly maxSize: number;
  /** Kubernetes labels of the nodes (kubelet --node-labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** Kubernetes taints of the nodes (kubelet --register-with-taints). */
  readonly taints: readonly { key: string; value: string; effect: 'NoSchedule' }[];
  /** ASG tags: discovery, plus node-template tags so the autoscaler can scale the group from zero. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Input of nodeGroups: which classes a cluster runs, how far each may grow and in which zones (as
 * for nodePools), how its groups are named and what they are tagged with.
 */
export interface NodeGroupsProps extends NodePoolsProps {
  /**
   * The managed node-group name of a class, to which `-<capacity type>-<zone letter>` is appended
   * (`clusterNames(spec).nodeGroup`).
   * @default - required, no default
   */
  readonly nodeGroupName: (nodeClass: NodeClass) => string;
  /**
   * Tags every resource of the cluster carries (`clusterNames(spec).tags`).
   * @default - required, no default
   */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Tags by which the Cluster Autoscaler discovers the groups (`clusterNames(spec).clusterAutoscalerTags`).
   * @default - required, no default
   */
  readonly clusterAutoscalerTags: Readonly<Record<string, string>>;
}

/**
 * The node groups of a cluster: per class and zone, a spot group (index and data work) and an
 * on-demand group; the system class is the managed node group the infrastructure always runs.
 */
export function nodeGroups(props: NodeGroupsProps): NodeGroupDefinition[] {
  const groups: NodeGroupDefinition[] = [];
  for (const nodeClass of clusterNodeClasses(props)) {
    const capacity = NODE_CLASS_CAPACITY[nodeClass];
    const taint = nodeClassTaint(nodeClass);
    const labels = { [NODE_CLASS_LABEL]: nodeClass };
    const taints = taint ? [{ key: taint.key, value: taint.value, effect: taint.effect }] : [];
    const zones = props.availabilityZones;
    // A 4xlarge has 16 vCPUs; size each zone's group for its share of the class's CPU limit.
    const perZoneMax = Math.max(2, Math.ceil(classLimits(props.limits, nodeClass).cpu / 16 / zones.length) + 1);
    const capacityTypes: ('spot' | 'on-demand')[] = usesSpot(nodeClass) ? ['spot', 'on-demand'] : ['on-demand'];
    for (const capacityType of capacityTypes) {
      for (const zone of zones) {
        const tags: Record<string, string> = { ...props.tags, ...props.clusterAutoscalerTags };
        for (const [k, v] of Object.entries(labels)) tags[`${NODE_TEMPLATE_LABEL_TAG}${k}`] = v;
        for (const t of taints) tags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = `${t.value}:${t.effect}`;
        groups.push({
          name: `${props.nodeGroupName(nodeClass)}-${capacityType}-${zone.slice(-1)}`,
          nodeClass,
          zone,
          capacityType,
          instanceTypes: capacity.instanceTypes,
          // System capacity never goes to zero; everything else may.
          minSize: nodeClass === 'system' ? 1 : 0,
          maxSize: perZoneMax,
          labels,
          taints,
          tags,
        });
      }
    }
  }
  return groups;
}

/**
 * The ASG names of an EKS managed node group: `eks-<node group name>-<uuid>`. The priority
 * expander matches ASG names, not node-group names (cloudprovider/aws: AwsNodeGroup.Id() is the ASG
 * name; expander/priority/priority.go matches it with an unanchored regexp search), and EKS names a
 * managed group's ASG this way since EKS 1.21 (terraform-aws-modules/terraform-aws-eks#3007,
 * kubernetes/autoscaler#3735).
 */
export function managedNodeGroupAsgPattern(nodeGroupName: string): string {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^eks-${escape(nodeGroupName)}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`;
}

/** Input of expanderPriorities: the node groups to rank. */
export interface ExpanderPrioritiesProps {
  /**
   * The cluster's node groups (`nodeGroups(props)`).
   * @default - required, no default
   */
  readonly nodeGroups: readonly NodeGroupDefinition[];
}

/** The priority expander's config: spot groups first, then on-demand ones (higher number wins). */
export function expanderPriorities(props: ExpanderPrioritiesProps): Record<number, string[]> {
  const spotGroups = props.nodeGroups.filter((g) => g.capacityType === 'spot');
  return {
    50: [...new Set(spotGroups.map((g) => managedNodeGroupAsgPattern(g.name)))],
    10: ['.*'],
  };
}

/** Props of ClusterAutoscaler: what it renders, mapped from the spec by the node-provisioning app. */
export interface ClusterAutoscalerProps {
  /**
   * IRSA binding of the controller's ServiceAccount (`clusterNames(spec).irsa['cluster-autoscaler']`);
   * its namespace is the controller's.
   * @default - required, no default
   */
  readonly binding: IrsaBinding;
  /**
   * Kubernetes minor of the control plane: picks the release (CLUSTER_AUTOSCALER_VERSIONS), which must match it.
   * @default - required, no default
   */
  readonly kubernetesVersion: KubernetesVersion;
  /**
   * ASG tag keys by which the controller discovers the cluster's node groups (`--node-group-auto-discovery`).
   * @default - required, no default
   */
  readonly discoveryTags: readonly string[];
  /**
   * The priority expander's config: priority -> ASG name patterns (`expanderPriorities({ nodeGroups })`); higher wins.
   * @default - required, no default
   */
  readonly priorities: Readonly<Record<number, readonly string[]>>;
  /**
   * AWS region of the ASGs (`AWS_REGION`).
   * @default - required, no default
   */
  readonly region: string;
  /**
   * `app.kubernetes.io/instance` of every object (the cluster's name).
   * @default - required, no default
   */
  readonly instance: string;
}

/** Name of the Deployment, ServiceAccount and RBAC objects. */
export const CLUSTER_AUTOSCALER_NAME = 'cluster-autoscaler';

/** The ConfigMap the priority expander reads (a fixed name: cluster-autoscaler/expander/priority/readme.md). */
export const PRIORITY_EXPANDER_CONFIGMAP = 'cluster-autoscaler-priority-expander';

/** ASG tag prefix by which the Cluster Autoscaler learns a group's node labels while it is at zero. */
export const NODE_TEMPLATE_LABEL_TAG = 'k8s.io/cluster-autoscaler/node-template/label/';

/** The Cluster Autoscaler Deployment with its RBAC, IRSA ServiceAccount, expander config and PDB. */
export class ClusterAutoscaler extends Construct {
  constructor(scope: Construct, id: string, props: ClusterAutoscalerProps) {
    super(scope, id);
    const { binding, instance } = props;
    const namespace = binding.namespace;
    const labels = standardLabels({ name: CLUSTER_AUTOSCALER_NAME, instance, version: CLUSTER_AUTOSCALER_VERSIONS[props.kubernetesVersion] });
    const selector = { 'app.kubernetes.io/name': CLUSTER_AUTOSCALER_NAME, 'app.kubernetes.io/instance': instance };
    new IrsaServiceAccount(this, 'ServiceAccount', { binding, labels });

    const rules: NonNullable<V1ClusterRole['rules']> = [
      { apiGroups: [''], resources: ['events', 'endpoints'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
      { apiGroups: [''], resources: ['pods/status'], verbs: ['update'] },
      { apiGroups: [''], resources: ['endpoints'], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ['get', 'update'] },
      { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] },
      {
        apiGroups: [''],
        resources: ['namespaces', 'pods', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes'],
        verbs: ['watch', 'list', 'get'],
      },
      { apiGroups: ['extensions'], resources: ['replicasets', 'daemonsets'], verbs: ['watch', 'list', 'get'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['watch', 'list'] },
      { apiGroups: ['apps'], resources: ['statefulsets', 'replicasets', 'daemonsets'], verbs: ['watch', 'list', 'get'] },
      {
        apiGroups: ['storage.k8s.io'],
        resources: ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities', 'volumeattachments'],
        verbs: ['watch', 'list', 'get'],
      },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['watch', 'list', 'get'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [CLUSTER_AUTOSCALER_NAME], verbs: ['get', 'update'] },
    ];
    kubeObject<V1ClusterRole>(this, 'ClusterRole', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, labels },
      rules,
    });
    kubeObject<V1ClusterRoleBinding>(this, 'ClusterRoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: CLUSTER_AUTOSCALER_NAME },
      subjects: [{ kind: 'ServiceAccount', name: binding.serviceAccount, namespace }],
    });
    kubeObject<V1Role>(this, 'Role', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['cluster-autoscaler-status', PRIORITY_EXPANDER_CONFIGMAP],
          verbs: ['delete', 'get', 'update', 'watch'],
        },
      ],
    });
    kubeObject<V1RoleBinding>(this, 'RoleBinding', {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: CLUSTER_AUTOSCALER_NAME },
      subjects: [{ kind: 'ServiceAccount', name: binding.serviceAccount, namespace }],
    });
    kubeObject<V1ConfigMap>(this, 'Priorities', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: PRIORITY_EXPANDER_CONFIGMAP, namespace, labels },
      // Integer keys, as the expander parses them; highest priority first for the reader.
      data: {
        priorities: stringify(
          new Map<number, readonly string[]>(
            Object.entries(props.priorities)
              .map(([k, v]): [number, readonly string[]] => [Number(k), v])
              .sort((a, b) => b[0] - a[0]),
          ),
        ),
      },
    });

    const discovery = props.discoveryTags.join(',');
    const system = placeOn('system');
    kubeObject<V1Deployment>(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace, labels },
      spec: {
        // One active instance (leader election); a second replica only waits, so one is enough.
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: binding.serviceAccount,
            // It watches the Kubernetes API, so it needs its token.
            automountServiceAccountToken: true,
            priorityClassName: 'system-cluster-critical',
            securityContext: restrictedPodSecurityContext(),
            affinity: system.affinity,
            tolerations: system.tolerations,
            containers: [
              {
                name: CLUSTER_AUTOSCALER_NAME,
                image: clusterAutoscalerImage(props.kubernetesVersion),
                command: [
                  './cluster-autoscaler',
                  '--cloud-provider=aws',
                  `--namespace=${namespace}`,
                  `--node-group-auto-discovery=asg:tag=${discovery}`,
                  '--balance-similar-node-groups',
                  '--expander=priority',
                  '--skip-nodes-with-local-storage=false',
                  '--skip-nodes-with-system-pods=false',
                  '--scale-down-delay-after-add=10m',
                  '--scale-down-unneeded-time=10m',
                  '--scale-down-utilization-threshold=0.5',
                  '--max-node-provision-time=15m',
                  '--v=2',
                ],
                env: [{ name: 'AWS_REGION', value: props.region }],
                ports: [{ name: 'metrics', containerPort: 8085, protocol: 'TCP' }],
                livenessProbe: { httpGet: { path: '/health-check', port: 'metrics' }, periodSeconds: 30, failureThreshold: 3 },
                resources: { requests: { cpu: '100m', memory: '600Mi' }, limits: { cpu: '1', memory: '1Gi' } },
                securityContext: restrictedContainerSecurityContext(),
              },
            ],
          },
        },
      },
    });
    kubeObject<V1PodDisruptionBudget>(this, 'Pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: CLUSTER_AUTOSCALER_NAME, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
  }
}
