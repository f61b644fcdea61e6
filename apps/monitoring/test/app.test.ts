import { describe, expect, it } from 'vitest';
import { synthApp } from '@milvus-gitops/core';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { monitoringApp, monitoringConfigApp } from '../src/index.js';

const spec = resolveClusterSpec(testClusterSpec({ environment: 'dev' }));

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
