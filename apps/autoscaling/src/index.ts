// The autoscaling apps. Controllers (prometheus-adapter, KEDA) and the scalers that use them are
// separate Flux Kustomizations: a ScaledObject cannot be applied before KEDA's CRDs exist, and an
// HPA on custom metrics is useless before the adapter serves them.

import { AutoscalingControllers, declaredMetrics, RoleScaler, scalingPlan, usesKeda } from '@milvus-gitops/autoscaling';
import { AppChart, type AppDefinition } from '@milvus-gitops/core';
import { MilvusCluster } from '@milvus-gitops/milvus';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

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
    const plan = scalingPlan(spec);
    const names = clusterNames(spec);
    new AutoscalingControllers(chart, 'Controllers', {
      instance: spec.name,
      prometheusUrl: names.prometheusUrl,
      monitoringNamespace: names.namespaces.monitoring,
      metrics: declaredMetrics(plan),
      keda: usesKeda(spec),
    });
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
    const milvus = MilvusCluster.of(scope);
    if (!milvus) throw new Error(`${spec.name}: the autoscaling app needs the milvus app's workloads in the same render`);
    const prometheusUrl = clusterNames(spec).prometheusUrl;
    for (const scaling of scalingPlan(spec)) {
      const target = milvus.roles.get(scaling.role);
      if (!target) throw new Error(`${spec.name}: the scaling plan names ${scaling.role}, which this Milvus does not run`);
      new RoleScaler(chart, scaling.role, { target, scaling, prometheusUrl });
    }
  },
};
