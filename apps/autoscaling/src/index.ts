// The autoscaling apps. Controllers (prometheus-adapter, KEDA) and the scalers that use them are
// separate Flux Kustomizations: a ScaledObject cannot be applied before KEDA's CRDs exist, and an
// HPA on custom metrics is useless before the adapter serves them.

import { AutoscalingControllers, declaredMetrics, RoleScaler, scalingPlan, usesKeda } from '@milvus-gitops/autoscaling';
import { AppChart, type AppDefinition } from '@milvus-gitops/core';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
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
    const chart = new AppChart(scope, 'autoscaling-controllers', { spec, app: 'autoscaling-controllers' });
    const plan = scalingPlan(spec);
    new AutoscalingControllers(chart, 'Controllers', { spec, metrics: declaredMetrics(plan), keda: usesKeda(spec) });
  },
};

/** The scalers app: one HPA or ScaledObject per autoscaled Milvus role. */
export const autoscalingApp: AppDefinition = {
  name: 'autoscaling',
  description: 'HPAs and ScaledObjects of the Milvus roles',
  dependsOn: ['milvus', 'autoscaling-controllers'],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'autoscaling', { spec, app: 'autoscaling' });
    for (const scaling of scalingPlan(spec)) new RoleScaler(chart, scaling.role, { spec, scaling });
  },
};
