// One Milvus role: its Deployment (`milvus run <role>`, coordinators as `mixture`), PodDisruptionBudget, and the Service of
// the proxy. Placement, spread, probes and security come from shared helpers and spec constants.

import { createHash } from 'node:crypto';
import type { V1Container, V1Deployment, V1PodDisruptionBudget, V1Service, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import {
  kubeObject,
  placeOn,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  selectorLabels,
  spreadAcrossZonesAndHosts,
  standardLabels,
} from '@milvus-gitops/core';
import { S3_ACCESS_LABEL, type ResolvedMilvus } from '@milvus-gitops/spec';
import { JsonPatch, type ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MILVUS_CONFIG_DIR, MILVUS_CONFIG_FILE, MILVUS_CONFIG_NAME } from './milvus-config.js';
import { METRICS_PORT, METRICS_PORT_NAME, PROXY_PORT, ROLE_TRAITS, roleWorkloadName, type RoleInstance } from './roles.js';

/** Where every role keeps scratch data and, on query nodes, the local segment cache. */
export const MILVUS_DATA_DIR = '/var/lib/milvus';

/**
 * How long a Milvus pod stays bound to a node that stopped reporting (NotReady or unreachable)
 * before Kubernetes evicts it and its Deployment replaces it elsewhere, seconds. Without a
 * toleration of its own a pod gets the API server's 300 s (DefaultTolerationSeconds admission), on
 * top of the node monitor's grace period: a lost node's query nodes would come back after about
 * six minutes. Milvus keeps no state in its pods (segments in S3, metadata in etcd, the WAL in the
 * message queue) and the coordinators stop using a node whose session has expired
 * (`common.session.ttl`, 15 s) long before this, so a replacement a minute later costs only the
 * segment load; a shorter wait would replace pods during a network blip that heals by itself.
 */
export const NODE_LOSS_TOLERATION_SECONDS = 60;

/**
 * Seconds a new pod of a rolling update must stay Ready before the Deployment counts it available
 * and stops the next old pod. A Milvus pod is Ready as soon as its `/healthz` answers, before the
 * coordinators have registered it and moved any segment or channel onto it; the pause lets them
 * catch up, so that a rollout does not stop old pods faster than their work finds a new home. The
 * Milvus operator sets the same on the Deployments it rolls when its rolling update is on (the
 * webhook's default): `MinReadySeconds = 30` in pkg/controllers/deployment_updater.go
 * (updateDeploymentWithoutPodTemplate) and deploy_ctrl_util.go (a new query-node group),
 * zilliztech/milvus-operator a6dcc63. It paces rollouts only: a PodDisruptionBudget counts a pod
 * healthy once it is Ready, so node drains and Karpenter's disruptions are paced by the budget and
 * the pool's disruption budgets, not by this. Each rolled pod takes 30 s longer, a rollback too.
 */
export const MIN_READY_SECONDS = 30;

/** What a role workload needs of the cluster's Milvus: its release, image, minor, namespace and query-node cache. */
export type MilvusRelease = Pick<ResolvedMilvus, 'version' | 'image' | 'minor' | 'namespace' | 'queryNodeCacheSize'>;

/** Props of MilvusRoleWorkload. */
export interface MilvusRoleWorkloadProps {
  /** The cluster's name (`app.kubernetes.io/instance`, part of the pod selector). */
  readonly cluster: string;
  /** The Milvus release and where it runs. */
  readonly milvus: MilvusRelease;
  /** The role, its node class, resources and replicas (from `milvusRoles`). */
  readonly instance: RoleInstance;
  /** Name of the ServiceAccount the pods run as (the IRSA-bound Milvus account). */
  readonly serviceAccountName: string;
  /** The rendered user.yaml; its hash rolls the pods when the config changes. */
  readonly userConfig: string;
  /**
   * Seconds the pods stay on a NotReady or unreachable node before they are evicted and replaced
   * (`node.kubernetes.io/not-ready` and `unreachable` NoExecute tolerations).
   * @default NODE_LOSS_TOLERATION_SECONDS (60)
   */
  readonly nodeLossTolerationSeconds?: number;
}

/** Tolerations of the node lifecycle taints that bound how long a pod stays on a lost node. */
export function nodeLossTolerations(seconds: number): { key: string; operator: 'Exists'; effect: 'NoExecute'; tolerationSeconds: number }[] {
  return ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
    key,
    operator: 'Exists' as const,
    effect: 'NoExecute' as const,
    tolerationSeconds: seconds,
  }));
}

/** The labels selecting one role's pods. */
export function roleSelector(cluster: string, role: string): Record<string, string> {
  return selectorLabels({ name: 'milvus', instance: cluster, component: role });
}

/** A Milvus role as a Deployment with its PDB (and Service, for the proxy). */
export class MilvusRoleWorkload extends Construct {
  /** The Deployment; autoscalers target it. */
  readonly deployment: ApiObject;
  /** Name of the Deployment. */
  readonly name: string;
  /** The role it runs. */
  readonly role: RoleInstance['role'];
  /** The labels selecting its pods (the Deployment's `spec.selector.matchLabels`); monitors select by them. */
  readonly selector: Readonly<Record<string, string>>;
  /** Whether an autoscaler owns the replica count (see handOverReplicas). */
  private handedOver = false;

  /**
   * Called by the autoscaler that targets this workload: the Deployment then leaves `replicas`
   * unset, or Flux would reset the count on every reconcile and fight the autoscaler. Only a
   * scalable role can be handed over.
   */
  handOverReplicas(): void {
    if (this.handedOver) return;
    if (this.fixed) throw new Error(`Deployment ${this.name} runs a fixed count; no autoscaler may own it`);
    this.deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    this.handedOver = true;
  }

  /** Whether the role runs a fixed count. */
  private readonly fixed: boolean;

  constructor(scope: Construct, id: string, props: MilvusRoleWorkloadProps) {
    super(scope, id);
    const { milvus, instance } = props;
    const { role } = instance;
    this.role = role;
    this.fixed = 'fixed' in instance.replicas;
    const traits = ROLE_TRAITS[role];
    const namespace = milvus.namespace;
    this.name = roleWorkloadName(role);
    const labels = standardLabels({ name: 'milvus', instance: props.cluster, component: role, version: milvus.version });
    const selector = roleSelector(props.cluster, role);
    this.selector = selector;
    const placement = placeOn(instance.nodeClass);
    const isQueryNode = role === 'querynode';

    const volumes: V1Volume[] = [
      { name: 'config', configMap: { name: MILVUS_CONFIG_NAME } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
      // On query nodes this is the segment/index cache; with RAID0 instance storage the node's
      // ephemeral storage is its NVMe, so the emptyDir lands there.
      { name: 'data', emptyDir: isQueryNode ? { sizeLimit: milvus.queryNodeCacheSize } : { sizeLimit: '10Gi' } },
    ];
    const mounts: V1VolumeMount[] = [
      { name: 'config', mountPath: `${MILVUS_CONFIG_DIR}/${MILVUS_CONFIG_FILE}`, subPath: MILVUS_CONFIG_FILE, readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: MILVUS_DATA_DIR },
    ];
    const env: NonNullable<V1Container['env']> = [];
    if (milvus.minor === '2.6') env.push({ name: 'MILVUS_STREAMING_SERVICE_ENABLED', value: '1' });
    const resources = {
      requests: { ...instance.resources.requests } as Record<string, string>,
      limits: { ...instance.resources.limits } as Record<string, string>,
    };
    if (isQueryNode) {
      // Reserve the cache on the node and tell Milvus how much local disk it may use.
      resources.requests['ephemeral-storage'] = milvus.queryNodeCacheSize;
      resources.limits['ephemeral-storage'] = milvus.queryNodeCacheSize;
      env.push({ name: 'LOCAL_STORAGE_SIZE', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage', divisor: '1Gi' } } });
    }

    const healthz = { path: '/healthz', port: METRICS_PORT_NAME };
    const container: V1Container = {
      name: role,
      image: milvus.image,
      imagePullPolicy: 'IfNotPresent',
      args: ['milvus', 'run', ...traits.run],
      ...(env.length ? { env } : {}),
      ports: [
        ...traits.grpcPorts(milvus.minor).map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
        { name: METRICS_PORT_NAME, containerPort: METRICS_PORT, protocol: 'TCP' },
      ],
      // Startup and liveness only ask whether the process listens, as the Milvus operator's probes do
      // (tcpSocket on 9091, pkg/controllers/components.go, a6dcc63) and the chart's liveness does
      // (charts/milvus/templates/*-deployment.yaml since milvus-helm#177): `/healthz` also fails while a dependency (etcd, a coordinator) is away,
      // and a liveness probe on it would restart every pod of the cluster through a short etcd outage.
      // Readiness keeps `/healthz`: such a pod takes no traffic until it is healthy again.
      startupProbe: { tcpSocket: { port: METRICS_PORT_NAME }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 30 },
      livenessProbe: { tcpSocket: { port: METRICS_PORT_NAME }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
      readinessProbe: { httpGet: healthz, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
      ...(traits.preStopSleepSeconds > 0 ? { lifecycle: { preStop: { exec: { command: ['sleep', String(traits.preStopSleepSeconds)] } } } } : {}),
      resources,
      securityContext: restrictedContainerSecurityContext(),
      volumeMounts: mounts,
    };

    const single = 'fixed' in instance.replicas && instance.replicas.fixed === 1;
    // A scalable role runs its minimum until an autoscaler takes the count over (handOverReplicas).
    const replicas = 'fixed' in instance.replicas ? instance.replicas.fixed : instance.replicas.minReplicas;
    const recreate = single && traits.recreateWhenSingle;
    const deployment: Partial<V1Deployment['spec']> & Record<string, unknown> = {
      replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: recreate ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      ...(recreate ? {} : { minReadySeconds: MIN_READY_SECONDS }),
      template: {
        metadata: {
          // Every role reads or writes the bucket (segments, indexes, binlogs, the WAL).
          labels: { ...labels, [S3_ACCESS_LABEL]: 'true' },
          annotations: { 'milvus-gitops.io/config-hash': createHash('sha256').update(props.userConfig).digest('hex').slice(0, 16) },
        },
        spec: {
          serviceAccountName: props.serviceAccountName,
          // Milvus never calls the Kubernetes API; the IRSA webhook projects its own AWS token.
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: traits.terminationGraceSeconds,
          securityContext: restrictedPodSecurityContext(),
          affinity: placement.affinity,
          tolerations: [...placement.tolerations, ...nodeLossTolerations(props.nodeLossTolerationSeconds ?? NODE_LOSS_TOLERATION_SECONDS)],
          topologySpreadConstraints: spreadAcrossZonesAndHosts(selector),
          containers: [container],
          volumes,
        },
      },
    };
    this.deployment = kubeObject<V1Deployment>(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: this.name, namespace, labels },
      spec: deployment as V1Deployment['spec'],
    });

    kubeObject<V1PodDisruptionBudget>(this, 'Pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: this.name, namespace, labels },
      // One pod at a time, whatever the count: drains and consolidation proceed, never all at once.
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });

    if (traits.clientService) {
      kubeObject<V1Service>(this, 'Service', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: this.name, namespace, labels },
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            { name: 'grpc', port: PROXY_PORT, targetPort: 'grpc', protocol: 'TCP' },
            { name: METRICS_PORT_NAME, port: METRICS_PORT, targetPort: METRICS_PORT_NAME, protocol: 'TCP' },
          ],
        },
      });
    }
  }
}
