// What Prometheus scrapes: one PodMonitor per Milvus role and one for etcd, selecting the pods of
// the workload objects they are given by those workloads' own selectors.

import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { METRICS_PORT_NAME, type MilvusCluster } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';

/** The PodMonitor spec fields this repository sets (CRD monitoring.coreos.com/v1). */
export interface PodMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector: { matchNames: string[] };
  podMetricsEndpoints: { port: string; path: string; interval: string; scrapeTimeout: string }[];
}

/** Props of MilvusScrapeConfigs. */
export interface MilvusScrapeConfigsProps {
  /** The Milvus whose role workloads and etcd are scraped. */
  readonly milvus: MilvusCluster;
}

/** PodMonitors for every Milvus role of the cluster's version and for etcd. */
export class MilvusScrapeConfigs extends Construct {
  constructor(scope: Construct, id: string, props: MilvusScrapeConfigsProps) {
    super(scope, id);
    const { milvus } = props;
    const namespace = milvus.etcd.namespace;
    const monitor = (name: string, selector: Readonly<Record<string, string>>, component: string) =>
      kubeObject<{ spec: PodMonitorSpec }>(this, name, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, namespace, labels: standardLabels({ name: 'milvus', instance: milvus.instance, component }) },
        spec: {
          selector: { matchLabels: { ...selector } },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
        },
      });
    for (const [role, workload] of milvus.roles) monitor(workload.name, workload.selector, role);
    monitor('milvus-etcd', milvus.etcd.selector, 'metadata');
  }
}
