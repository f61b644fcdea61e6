// The controllers the scalers need, as Flux HelmReleases with typed values: metrics-server (the
// metrics.k8s.io API every HPA's CPU/memory signal reads), prometheus-adapter (serving exactly the
// custom and external metrics the HPAs declare) and, where a role scales to zero, KEDA.

import { placeOn, standardLabels } from '@milvus-gitops/core';
import { HelmRelease, HelmRepository, PROMETHEUS_COMMUNITY } from '@milvus-gitops/flux';
import { Construct } from 'constructs';
import type { MetricDeclaration } from './signals.js';

/** Pinned chart versions. */
export const PROMETHEUS_ADAPTER_CHART = { chart: 'prometheus-adapter', version: '4.14.1' } as const;
export const KEDA_CHART = { repository: 'https://kedacore.github.io/charts', chart: 'keda', version: '2.20.1' } as const;
/**
 * metrics-server: chart 3.13.1 (app 0.8.1) from kubernetes-sigs/metrics-server, tag
 * metrics-server-helm-chart-3.13.1 (842dcc8c42f22cc19f10c7d5f2d32a9f4b6013b0), charts/metrics-server/Chart.yaml.
 */
export const METRICS_SERVER_CHART = {
  repository: 'https://kubernetes-sigs.github.io/metrics-server/',
  chart: 'metrics-server',
  version: '3.13.1',
  appVersion: '0.8.1',
} as const;

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

/**
 * Adapter values for a set of declared metrics: nothing else is served (default rules off). No
 * `rules.resource`: it would create APIService v1beta1.metrics.k8s.io, which metrics-server owns
 * (chart README, "Resource Metrics": not both in one cluster).
 */
export function prometheusAdapterValues(prometheusUrl: string, metrics: readonly MetricDeclaration[]): PrometheusAdapterValues {
  const url = new URL(prometheusUrl);
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

/** The values of the metrics-server chart this repository sets (charts/metrics-server/values.yaml at 3.13.1). */
export interface MetricsServerValues {
  image: { repository: string; tag: string };
  replicas: number;
  podDisruptionBudget: { enabled: boolean; maxUnavailable: number };
  resources: { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } };
  apiService: { create: boolean };
  affinity: object;
  tolerations: object[];
}

/** metrics-server on system nodes, two replicas (the HPAs' CPU/memory signals stop with it), image pinned. */
export function metricsServerValues(): MetricsServerValues {
  const system = placeOn('system');
  return {
    image: { repository: 'registry.k8s.io/metrics-server/metrics-server', tag: `v${METRICS_SERVER_CHART.appVersion}` },
    replicas: 2,
    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
    resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '1', memory: '500Mi' } },
    // metrics-server serves metrics.k8s.io; nothing else in the cluster may (prometheus-adapter's
    // rules.resource stays off).
    apiService: { create: true },
    affinity: system.affinity,
    tolerations: system.tolerations,
  };
}

/** Props of AutoscalingControllers. */
export interface AutoscalingControllersProps {
  /** The cluster's name (`app.kubernetes.io/instance`, and in messages). */
  readonly instance: string;
  /** Prometheus' in-cluster URL, which prometheus-adapter queries. */
  readonly prometheusUrl: string;
  /** Namespace of the monitoring stack, where prometheus-adapter runs beside Prometheus. */
  readonly monitoringNamespace: string;
  /** Metrics the cluster's HPAs name (`declaredMetrics` of their scalings). */
  readonly metrics: readonly MetricDeclaration[];
  /** Install KEDA (some role scales to zero). */
  readonly keda: boolean;
}

/** metrics-server, prometheus-adapter, and KEDA when needed, as Flux HelmReleases. */
export class AutoscalingControllers extends Construct {
  constructor(scope: Construct, id: string, props: AutoscalingControllersProps) {
    super(scope, id);
    if (props.keda && props.metrics.some((m) => m.type === 'External')) {
      // Both charts create APIService v1beta1.external.metrics.k8s.io (kedacore/charts
      // keda/templates/metrics-server/apiservice.yaml; prometheus-adapter 4.14.1
      // templates/external-metrics-apiservice.yaml when rules.external is set).
      throw new Error(
        `${props.instance}: KEDA and prometheus-adapter external metrics (${props.metrics
          .filter((m) => m.type === 'External')
          .map((m) => m.name)
          .join(', ')}) cannot share APIService v1beta1.external.metrics.k8s.io`,
      );
    }
    const labels = standardLabels({ name: 'autoscaling', instance: props.instance, component: 'controllers' });
    const metricsServerRepo = new HelmRepository(this, 'MetricsServerRepository', { name: 'metrics-server', url: METRICS_SERVER_CHART.repository, labels });
    new HelmRelease<MetricsServerValues>(this, 'MetricsServer', {
      name: 'metrics-server',
      // Where the EKS community add-on and the upstream manifests put it.
      targetNamespace: 'kube-system',
      repository: metricsServerRepo,
      chart: METRICS_SERVER_CHART.chart,
      version: METRICS_SERVER_CHART.version,
      values: metricsServerValues(),
      labels,
    });
    const monitoring = props.monitoringNamespace;
    new HelmRelease<PrometheusAdapterValues>(this, 'PrometheusAdapter', {
      name: 'prometheus-adapter',
      targetNamespace: monitoring,
      // Rendered by the monitoring app, which this app's Kustomization depends on.
      repository: PROMETHEUS_COMMUNITY,
      chart: PROMETHEUS_ADAPTER_CHART.chart,
      version: PROMETHEUS_ADAPTER_CHART.version,
      values: prometheusAdapterValues(props.prometheusUrl, props.metrics),
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
