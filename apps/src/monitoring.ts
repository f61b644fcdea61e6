// The monitoring apps. The stack installs the prometheus-operator CRDs, so the PodMonitors and
// PrometheusRules that use them live in a second Kustomization that depends on the first.

import * as kplus from 'cdk8s-plus-29';
import { AppChart, PRUNE_DISABLED_ANNOTATION, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import { MilvusCluster } from '@milvus-gitops/milvus';
import {
  alertGroups,
  dashboards,
  KubePrometheusStack,
  kubePrometheusStackValues,
  MilvusAlerts,
  MilvusDashboards,
  MilvusScrapeConfigs,
} from '@milvus-gitops/monitoring';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

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
      values: kubePrometheusStackValues(spec),
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
    const milvus = MilvusCluster.of(scope);
    if (!milvus) throw new Error(`${spec.name}: the monitoring-config app needs the milvus app's workloads in the same render`);
    new MilvusScrapeConfigs(chart, 'Scrape', { milvus });
    new MilvusAlerts(chart, 'Alerts', { groups: alertGroups(spec), namespace: spec.milvus.namespace, instance: spec.name });
    new MilvusDashboards(chart, 'Dashboards', { dashboards: dashboards(spec), namespace: clusterNames(spec).namespaces.monitoring, instance: spec.name });
  },
};
