// The autoscaling apps. Controllers (prometheus-adapter, KEDA) and the scalers that use them are
// separate Flux Kustomizations: a ScaledObject cannot be applied before KEDA's CRDs exist, and an
// HPA on custom metrics is useless before the adapter serves them. This module is where the spec
// becomes the scalers' props (which roles scale, on what, between which bounds) and the
// controllers' props: the one place that reads the spec for them.

import {
  AutoscalingControllers,
  BUILDER_BEHAVIOR,
  declaredMetrics,
  PENDING_INDEX_TASKS,
  PROXY_BEHAVIOR,
  QUERY_NODE_BEHAVIOR,
  QUERY_QUEUE_DEPTH,
  RoleScaler,
  SEARCH_P99_LATENCY_MS,
  type AutoscalingControllersProps,
  type RoleScaling,
  type Signal,
} from '@milvus-gitops/autoscaling';
import { milvusWorkloadsFor } from './milvus.js';
import { AppChart, type AppDefinition } from '@milvus-gitops/core';
import { clusterNames, indexBuilderOf, type MilvusRole, type ResolvedClusterSpec, type ResolvedScalableRole } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

const cpu = (averageUtilization: number): Signal => ({ kind: 'resource', resource: 'cpu', averageUtilization });

/**
 * How each autoscaled role of a cluster scales, in role-table order: its RoleScaler's props but the
 * target. The coordinators and 2.6's streaming nodes run a fixed count and have no scaler. Each
 * role's bounds are its spec field's (`milvus.queryNode.minReplicas`/`maxReplicas`, ...), defaults
 * applied by resolveClusterSpec.
 */
export function roleScaling(spec: ResolvedClusterSpec): ReadonlyMap<MilvusRole, RoleScaling> {
  const { milvus } = spec;
  const q = spec.autoscaling.queryNode;
  const ix = spec.autoscaling.indexBuild;
  // With KEDA installed its metrics server owns APIService v1beta1.external.metrics.k8s.io (the
  // kedacore/keda chart always creates it), and prometheus-adapter would create the same object for
  // its external rules: two Helm releases cannot own one object. So there the query-node HPA does
  // without the External P99 signal (CPU, memory and queue depth remain); see usesKeda.
  const keda = ix.scaleToZero;
  const bounds = ({ minReplicas, maxReplicas }: ResolvedScalableRole) => ({ minReplicas, maxReplicas });
  // The role that builds indexes (2.5 index nodes, 2.6 data nodes) scales on pending index tasks.
  const builder = (sizing: ResolvedScalableRole): RoleScaling =>
    keda
      ? { scaler: 'keda', maxReplicas: sizing.maxReplicas, pendingTasksPerReplica: ix.pendingTasksPerReplica, prometheusUrl: clusterNames(spec).prometheusUrl }
      : {
          ...bounds(sizing),
          signals: [{ kind: 'metric', metric: PENDING_INDEX_TASKS, target: { type: 'AverageValue', value: ix.pendingTasksPerReplica } }, cpu(80)],
          behavior: BUILDER_BEHAVIOR,
        };
  const buildsIndexes = indexBuilderOf(milvus.minor);
  const scaling = new Map<MilvusRole, RoleScaling>();
  scaling.set('proxy', { ...bounds(milvus.proxy), signals: [cpu(70)], behavior: PROXY_BEHAVIOR });
  scaling.set('querynode', {
    minReplicas: milvus.queryNode.minReplicas,
    maxReplicas: milvus.queryNode.maxReplicas,
    signals: [
      cpu(q.cpuUtilization),
      { kind: 'resource', resource: 'memory', averageUtilization: q.memoryUtilization },
      { kind: 'metric', metric: QUERY_QUEUE_DEPTH, target: { type: 'AverageValue', value: q.queueDepthPerPod } },
      ...(keda ? [] : [{ kind: 'metric', metric: SEARCH_P99_LATENCY_MS, target: { type: 'Value', value: q.p99LatencyMs } } as const]),
    ],
    behavior: QUERY_NODE_BEHAVIOR,
  });
  // 2.5 data nodes flush and compact: CPU tracks that work.
  scaling.set(
    'datanode',
    buildsIndexes === 'datanode' ? builder(milvus.dataNode) : { ...bounds(milvus.dataNode), signals: [cpu(75)], behavior: BUILDER_BEHAVIOR },
  );
  if (milvus.minor === '2.5') scaling.set('indexnode', builder(milvus.indexNode));
  return scaling;
}

/**
 * Whether the cluster needs KEDA: the index builders scale to zero, which an HPA cannot do. KEDA then
 * serves every external metric of the cluster (only its ScaledObjects' triggers).
 */
export function usesKeda(spec: ResolvedClusterSpec): boolean {
  return [...roleScaling(spec).values()].some((s) => s.scaler === 'keda');
}

/** What the controllers take for a cluster: its Prometheus, the metrics its HPAs name, and whether KEDA runs. */
export function autoscalingControllersProps(spec: ResolvedClusterSpec): AutoscalingControllersProps {
  const names = clusterNames(spec);
  return {
    instance: spec.name,
    prometheusUrl: names.prometheusUrl,
    monitoringNamespace: names.namespaces.monitoring,
    metrics: declaredMetrics(roleScaling(spec).values()),
    keda: usesKeda(spec),
  };
}

/**
 * The controllers app: metrics-server (CPU/memory for every HPA), prometheus-adapter with rules for
 * exactly the metrics the HPAs name, and KEDA if needed.
 */
export const autoscalingControllersApp: AppDefinition = {
  name: 'autoscaling-controllers',
  description: 'metrics-server, prometheus-adapter (and KEDA where a role scales to zero) as Flux HelmReleases',
  // The adapter and KEDA query the Prometheus that monitoring installs.
  dependsOn: ['monitoring'],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'autoscaling-controllers', { cluster: spec.name, app: 'autoscaling-controllers' });
    new AutoscalingControllers(chart, 'Controllers', autoscalingControllersProps(spec));
  },
};

/** The scalers app: one HPA or ScaledObject per autoscaled Milvus role. */
export const autoscalingApp: AppDefinition = {
  name: 'autoscaling',
  description: 'HPAs and ScaledObjects of the Milvus roles',
  dependsOn: ['milvus', 'autoscaling-controllers'],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'autoscaling', { cluster: spec.name, app: 'autoscaling' });
    // The scalers take the workloads they scale: the milvus app of the same render built them.
    const milvus = milvusWorkloadsFor(scope, spec.name, 'autoscaling');
    for (const [role, scaling] of roleScaling(spec)) {
      const target = milvus.roles.get(role);
      if (!target) throw new Error(`${spec.name}: the scaling plan names ${role}, which this Milvus does not run`);
      new RoleScaler(chart, role, { target, ...scaling });
    }
  },
};
