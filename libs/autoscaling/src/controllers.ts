// The controllers the scalers need, as Flux HelmReleases with typed values: prometheus-adapter
// (serving exactly the metrics the HPAs declare) and, where a role scales to zero, KEDA.

import { placeOn, standardLabels } from '@milvus-gitops/core';
import { HelmRelease, HelmRepository, PROMETHEUS_COMMUNITY } from '@milvus-gitops/flux';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import type { MetricDeclaration } from './signals.js';

/** Pinned chart versions. */
export const PROMETHEUS_ADAPTER_CHART = { chart: 'prometheus-adapter', version: '4.14.1' } as const;
export const KEDA_CHART = { repository: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.20.1' } as const;

/** One prometheus-adapter discovery rule. */
export interface AdapterRule {
  seriesQuery: string;
  resources: { overrides: Record<string, { resource: string }> };
  name: { matches: string; as: string };
  metricsQuery: string;
}

/** The values of the prometheus-adapter chart this repository sets. */
export interface PrometheusAdapterValues {
  prometheus: { url: string; port: number; path: string };
  replicas: number;
  rules: { default: boolean; custom: AdapterRule[]; external: AdapterRule[] };
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  podDisruptionBudget: { enabled: boolean; maxUnavailable: number };
  affinity: object;
  tolerations: object[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The adapter rule serving one declared metric, keyed by namespace (and pod for Pods metrics). */
export function adapterRule(m: MetricDeclaration): AdapterRule {
  const overrides: Record<string, { resource: string }> = { namespace: { resource: 'namespace' } };
  if (m.type === 'Pods') overrides.pod = { resource: 'pod' };
  return { seriesQuery: m.seriesQuery, resources: { overrides }, name: { matches: `^${escape(m.series)}$`, as: m.name }, metricsQuery: m.metricsQuery };
}

/** Adapter values for a set of declared metrics: nothing else is served (default rules off). */
export function prometheusAdapterValues(spec: ResolvedClusterSpec, metrics: readonly MetricDeclaration[]): PrometheusAdapterValues {
  const url = new URL(clusterNames(spec).prometheusUrl);
  const system = placeOn('system');
  return {
    prometheus: { url: `${url.protocol}//${url.hostname}`, port: Number(url.port), path: '' },
    replicas: 2,
    rules: {
      default: false,
      custom: metrics.filter((m) => m.type === 'Pods').map(adapterRule),
      external: metrics.filter((m) => m.type === 'External').map(adapterRule),
    },
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    affinity: system.affinity,
    tolerations: system.tolerations,
  };
}

/** Props of AutoscalingControllers. */
export interface AutoscalingControllersProps {
  /** The cluster being rendered. */
  readonly spec: ResolvedClusterSpec;
  /** Metrics the cluster's HPAs name (from `declaredMetrics(scalingPlan(spec))`). */
  readonly metrics: readonly MetricDeclaration[];
  /** Install KEDA (some role scales to zero). */
  readonly keda: boolean;
}

/** prometheus-adapter, and KEDA when needed, as Flux HelmReleases. */
export class AutoscalingControllers extends Construct {
  constructor(scope: Construct, id: string, props: AutoscalingControllersProps) {
    super(scope, id);
    const labels = standardLabels({ name: 'autoscaling', instance: props.spec.name, component: 'controllers' });
    const monitoring = clusterNames(props.spec).namespaces.monitoring;
    new HelmRelease<PrometheusAdapterValues>(this, 'PrometheusAdapter', {
      name: 'prometheus-adapter',
      targetNamespace: monitoring,
      // Rendered by the monitoring app, which this app's Kustomization depends on.
      repository: PROMETHEUS_COMMUNITY,
      chart: PROMETHEUS_ADAPTER_CHART.chart,
      version: PROMETHEUS_ADAPTER_CHART.version,
      values: prometheusAdapterValues(props.spec, props.metrics),
      labels,
    });
    if (props.keda) {
      const kedacore = new HelmRepository(this, 'Kedacore', { name: 'kedacore', url: KEDA_CHART.repository, labels });
      const system = placeOn('system');
      new HelmRelease<{ affinity: object; tolerations: object[]; podDisruptionBudget: object }>(this, 'Keda', {
        name: 'keda',
        targetNamespace: 'keda',
        repository: kedacore,
        chart: KEDA_CHART.chart,
        version: KEDA_CHART.version,
        values: { affinity: system.affinity, tolerations: system.tolerations, podDisruptionBudget: { operator: { maxUnavailable: 1 } } },
        labels,
      });
    }
  }
}
