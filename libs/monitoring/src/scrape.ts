// What Prometheus scrapes: one PodMonitor per Milvus role and one for etcd, selecting pods by the
// labels libs/milvus sets (roleSelector, etcdSelector), never by retyped strings.

import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { etcdSelector, METRICS_PORT_NAME, milvusRoles, roleSelector, roleWorkloadName } from '@milvus-gitops/milvus';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import { Construct } from 'constructs';

/** The PodMonitor spec fields this repository sets (CRD monitoring.coreos.com/v1). */
export interface PodMonitorSpec {
  selector: { matchLabels: Record<string, string> };
  namespaceSelector: { matchNames: string[] };
  podMetricsEndpoints: { port: string; path: string; interval: string; scrapeTimeout: string }[];
}

/** Props of MilvusScrapeConfigs. */
export interface MilvusScrapeConfigsProps {
  /** The cluster being rendered. */
  readonly spec: ResolvedClusterSpec;
}

/** PodMonitors for every Milvus role of the cluster's version and for etcd. */
export class MilvusScrapeConfigs extends Construct {
  constructor(scope: Construct, id: string, props: MilvusScrapeConfigsProps) {
    super(scope, id);
    const { spec } = props;
    const namespace = spec.milvus.namespace;
    const monitor = (name: string, selector: Record<string, string>, component: string) =>
      kubeObject<{ spec: PodMonitorSpec }>(this, name, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: { name, namespace, labels: standardLabels({ name: 'milvus', instance: spec.name, component }) },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: [{ port: METRICS_PORT_NAME, path: '/metrics', interval: '15s', scrapeTimeout: '10s' }],
        },
      });
    for (const r of milvusRoles(spec)) monitor(roleWorkloadName(r.role), roleSelector(spec, r.role), r.role);
    monitor('milvus-etcd', etcdSelector(spec), 'metadata');
  }
}
