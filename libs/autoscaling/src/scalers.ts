// The scaler objects of the Milvus roles: an autoscaling/v2 HPA per HPA-scaled role, a KEDA
// ScaledObject where the spec asks for scale to zero. Which roles scale, on what and between which
// bounds is the autoscaling app's mapping of the spec (apps: roleScaling).

import type { V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerBehavior, V2MetricSpec } from '@kubernetes/client-node';
import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { MILVUS_METRICS, type MilvusRoleWorkload } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';
import { PENDING_INDEX_NODE_WORK_MATCHERS, type MetricDeclaration } from './signals.js';

/** One signal of an HPA: a resource utilization, or a declared custom/external metric with its target. */
export type Signal =
  | { readonly kind: 'resource'; readonly resource: 'cpu' | 'memory'; readonly averageUtilization: number }
  | { readonly kind: 'metric'; readonly metric: MetricDeclaration; readonly target: { readonly type: 'AverageValue' | 'Value'; readonly value: number } };

/** How an autoscaling/v2 HPA scales a role. */
export interface HpaScaling {
  /**
   * The kind of scaler.
   * @default 'hpa'
   */
  readonly scaler?: 'hpa';
  /**
   * The fewest replicas (the HPA's `spec.minReplicas`); at most `maxReplicas`.
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * The most replicas (the HPA's `spec.maxReplicas`).
   * @default - required, no default
   */
  readonly maxReplicas: number;
  /**
   * What the HPA scales on, in order (its `spec.metrics`); custom and external metrics must be
   * served by prometheus-adapter (`declaredMetrics`).
   * @default - required, no default
   */
  readonly signals: readonly Signal[];
  /**
   * How fast it scales up and down (`spec.behavior`; see behaviors.ts).
   * @default - Kubernetes' default behavior (the field is left out)
   */
  readonly behavior?: V2HorizontalPodAutoscalerBehavior;
}

/** How a KEDA ScaledObject scales an index builder from zero on pending index tasks. */
export interface KedaScaling {
  /**
   * The kind of scaler: KEDA, which (unlike an HPA) scales to zero.
   * @default - required, no default
   */
  readonly scaler: 'keda';
  /**
   * The most replicas (the ScaledObject's `spec.maxReplicaCount`).
   * @default - required, no default
   */
  readonly maxReplicas: number;
  /**
   * Pending index tasks per replica that add a replica; zero tasks means zero replicas.
   * @default - required, no default
   */
  readonly pendingTasksPerReplica: number;
  /**
   * Prometheus' in-cluster URL, which the ScaledObject's trigger queries.
   * @default - required, no default
   */
  readonly prometheusUrl: string;
}

/** How a role scales: an HPA or a KEDA ScaledObject (RoleScaler's props but its target). */
export type RoleScaling = HpaScaling | KedaScaling;

/** What a RoleScaler scales. */
export interface RoleScalerTarget {
  /**
   * The workload it scales: its Deployment is the scale target, and it hands its replica count over.
   * @default - required, no default
   */
  readonly target: MilvusRoleWorkload;
}

/** Props of RoleScaler: its target and how it scales it. */
export type RoleScalerProps = RoleScalerTarget & RoleScaling;

/** The fields of a KEDA ScaledObject spec this repository sets (CRD keda.sh/v1alpha1). */
export interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion: string; kind: string; name: string };
  minReplicaCount: number;
  maxReplicaCount: number;
  pollingInterval: number;
  cooldownPeriod: number;
  triggers: { type: 'prometheus'; metadata: { serverAddress: string; query: string; threshold: string; activationThreshold: string } }[];
}

/** The HPA or ScaledObject of one role, targeting the role's Deployment object. */
export class RoleScaler extends Construct {
  constructor(scope: Construct, id: string, props: RoleScalerProps) {
    super(scope, id);
    const { target } = props;
    const deployment = target.deployment;
    const name = deployment.name;
    const namespace = deployment.metadata.namespace;
    const instance = deployment.metadata.getLabel('app.kubernetes.io/instance') ?? '';
    const labels = standardLabels({ name: 'milvus', instance, component: target.role });
    const scaleTarget = { apiVersion: deployment.apiVersion, kind: deployment.kind, name };
    target.handOverReplicas();
    if (props.scaler !== 'keda') {
      const minReplicas = props.minReplicas ?? 1;
      if (minReplicas > props.maxReplicas) {
        throw new Error(`${instance}: HPA ${name}: minReplicas (${minReplicas}) must be <= maxReplicas (${props.maxReplicas})`);
      }
      kubeObject<V2HorizontalPodAutoscaler>(this, 'Hpa', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace, labels },
        spec: {
          scaleTargetRef: scaleTarget,
          minReplicas,
          maxReplicas: props.maxReplicas,
          metrics: props.signals.map((s) => metricSpec(s)),
          ...(props.behavior ? { behavior: props.behavior } : {}),
        },
      });
      return;
    }
    // KEDA queries Prometheus itself. From zero it must wake on every job an index node runs, the
    // sort jobs that gate index builds included (PENDING_INDEX_NODE_WORK_MATCHERS).
    const query = `sum(${MILVUS_METRICS.datacoordTaskCount}{namespace="${namespace}",${PENDING_INDEX_NODE_WORK_MATCHERS}})`;
    kubeObject<{ spec: ScaledObjectSpec }>(this, 'ScaledObject', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: scaleTarget,
        minReplicaCount: 0,
        maxReplicaCount: props.maxReplicas,
        pollingInterval: 15,
        // Ten idle minutes before the last builder goes: index requests often come in bursts.
        cooldownPeriod: 600,
        triggers: [
          {
            type: 'prometheus',
            metadata: {
              serverAddress: props.prometheusUrl,
              query,
              threshold: String(props.pendingTasksPerReplica),
              activationThreshold: '0',
            },
          },
        ],
      },
    });
  }
}

/**
 * The autoscaling/v2 metric spec of a signal. External metrics carry no selector: the adapter
 * matches the HPA's namespace, and one namespace holds one Milvus instance.
 */
export function metricSpec(signal: Signal): V2MetricSpec {
  if (signal.kind === 'resource') {
    return { type: 'Resource', resource: { name: signal.resource, target: { type: 'Utilization', averageUtilization: signal.averageUtilization } } };
  }
  const { metric, target } = signal;
  const quantity = String(target.value);
  const metricTarget = target.type === 'Value' ? { type: 'Value', value: quantity } : { type: 'AverageValue', averageValue: quantity };
  if (metric.type === 'Pods') return { type: 'Pods', pods: { metric: { name: metric.name }, target: metricTarget } };
  return { type: 'External', external: { metric: { name: metric.name }, target: metricTarget } };
}

/** Every custom or external metric some HPA of these scalings names (what the adapter must serve). */
export function declaredMetrics(scalings: Iterable<RoleScaling>): MetricDeclaration[] {
  const out = new Map<string, MetricDeclaration>();
  for (const s of scalings) {
    if (s.scaler === 'keda') continue;
    for (const sig of s.signals) if (sig.kind === 'metric') out.set(sig.metric.name, sig.metric);
  }
  return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
}
