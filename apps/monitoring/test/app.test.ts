import { describe, expect, it } from 'vitest';
import { synthApp } from '@milvus-gitops/core';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { monitoringApp, monitoringConfigApp } from '../src/index.js';

const spec = resolveClusterSpec({
  name: 'dev-us-west-2',
  environment: 'dev',
  aws: { accountId: '777788889999', region: 'us-west-2', availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'] },
  kubernetes: { version: '1.33' },
  milvus: { version: '2.6.15' },
  nodes: { provisioner: 'karpenter' },
  gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
} satisfies ClusterSpec);

describe('monitoring apps', () => {
  it('installs the stack in its own namespace before anything uses its CRDs', () => {
    const kinds = synthApp(monitoringApp, spec)
      .map((o) => `${o.kind}/${o.metadata.name}`)
      .sort();
    expect(kinds).toEqual(['HelmRelease/kube-prometheus-stack', 'HelmRepository/prometheus-community', 'Namespace/monitoring']);
    expect(monitoringConfigApp.dependsOn).toContain('monitoring');
  });

  it('renders scrape configs, one PrometheusRule and four dashboards', () => {
    const objects = synthApp(monitoringConfigApp, spec);
    expect(objects.filter((o) => o.kind === 'PodMonitor')).toHaveLength(6);
    expect(objects.filter((o) => o.kind === 'PrometheusRule')).toHaveLength(1);
    expect(objects.filter((o) => o.kind === 'ConfigMap')).toHaveLength(4);
  });
});
