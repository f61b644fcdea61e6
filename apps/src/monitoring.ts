// The monitoring apps, and the mapping from the spec to what their values and constructs take.
// The stack installs the prometheus-operator CRDs, so the PodMonitors and
// PrometheusRules that use them live in a second Kustomization that depends on the first.

import * as kplus from 'cdk8s-plus-29';
import { milvusWorkloadsFor } from './milvus.js';
import { AppChart, PRUNE_DISABLED_ANNOTATION, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import {
  alertGroups,
  dashboards,
  KubePrometheusStack,
  kubePrometheusStackValues,
  MilvusAlerts,
  MilvusDashboards,
  MilvusScrapeConfigs,
  type AlertGroupsProps,
  type DashboardsProps,
  type KubePrometheusStackValuesProps,
} from '@milvus-gitops/monitoring';
import { clusterNames, cronIntervalSeconds, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** What the stack's values take for a cluster: retention and volume size, replicas (two in prod), Grafana. */
export function kubePrometheusStackValuesProps(spec: ResolvedClusterSpec): KubePrometheusStackValuesProps {
  return {
    retention: spec.monitoring.retention,
    storageSize: spec.monitoring.storageSize,
    replicas: spec.environment === 'prod' ? 2 : 1,
    grafana: spec.monitoring.grafana,
  };
}

/** What the alerts take for a cluster: Milvus' namespace and the spec's thresholds. */
export function alertGroupsProps(spec: ResolvedClusterSpec): AlertGroupsProps {
  return {
    namespace: spec.milvus.namespace,
    searchLatencySloMs: spec.monitoring.searchLatencySloMs,
    queryNodeMemoryAlertRatio: spec.monitoring.queryNodeMemoryAlertRatio,
    etcdSnapshotIntervalSeconds: cronIntervalSeconds(spec.milvus.etcd.snapshotSchedule),
  };
}

/** What the dashboards take for a cluster: its name and Milvus' namespace. */
export function dashboardsProps(spec: ResolvedClusterSpec): DashboardsProps {
  return { instance: spec.name, namespace: spec.milvus.namespace };
}

/** kube-prometheus-stack: Prometheus, Alertmanager, Grafana, kube-state-metrics and the operator. */
export const monitoringApp: AppDefinition = {
  name: 'monitoring',
  description: 'kube-prometheus-stack as a Flux HelmRelease',
  dependsOn: ['node-provisioning'],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'monitoring', { cluster: spec.name, app: 'monitoring' });
    // Rendered, not left to the chart's createNamespace: dashboards and the adapter live here too.
    new kplus.Namespace(chart, 'Namespace', {
      // Prometheus' volume lives here: Flux must never prune the namespace.
      metadata: {
        name: clusterNames(spec).namespaces.monitoring,
        labels: standardLabels({ name: 'monitoring', instance: spec.name }),
        annotations: { ...PRUNE_DISABLED_ANNOTATION },
      },
    });
    new KubePrometheusStack(chart, 'Stack', {
      values: kubePrometheusStackValues(kubePrometheusStackValuesProps(spec)),
      targetNamespace: clusterNames(spec).namespaces.monitoring,
      instance: spec.name,
    });
  },
};

/** Scraping, alerts and dashboards for Milvus and etcd. */
export const monitoringConfigApp: AppDefinition = {
  name: 'monitoring-config',
  description: 'PodMonitors, PrometheusRules and Grafana dashboards for Milvus',
  dependsOn: ['monitoring', 'milvus'],
  build(scope: Construct, spec: ResolvedClusterSpec) {
    const chart = new AppChart(scope, 'monitoring-config', { cluster: spec.name, app: 'monitoring-config' });
    // The monitors take the workloads they scrape: the milvus app of the same render built them.
    const milvus = milvusWorkloadsFor(scope, spec.name, 'monitoring-config');
    new MilvusScrapeConfigs(chart, 'Scrape', { milvus });
    new MilvusAlerts(chart, 'Alerts', { groups: alertGroups(alertGroupsProps(spec)), namespace: spec.milvus.namespace, instance: spec.name });
    new MilvusDashboards(chart, 'Dashboards', {
      dashboards: dashboards(dashboardsProps(spec)),
      namespace: clusterNames(spec).namespaces.monitoring,
      instance: spec.name,
    });
  },
};
