import { describe, expect, it } from 'vitest';
import { synthApp } from '@milvus-gitops/core';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { autoscalingApp, autoscalingControllersApp } from '../src/index.js';

const spec = (scaleToZero: boolean): ClusterSpec => ({
  name: 'staging-eu-west-1',
  environment: 'staging',
  aws: { accountId: '444455556666', region: 'eu-west-1', availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
  kubernetes: { version: '1.32' },
  milvus: { version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b:9092'] } },
  nodes: { provisioner: 'cluster-autoscaler' },
  autoscaling: { indexBuild: { scaleToZero } },
  gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
});

describe('autoscaling apps', () => {
  it('installs KEDA only where a role scales to zero', () => {
    const names = (s: ClusterSpec) => synthApp(autoscalingControllersApp, resolveClusterSpec(s)).filter((o) => o.kind === 'HelmRelease').map((o) => o.metadata.name);
    expect(names(spec(true))).toEqual(['prometheus-adapter', 'keda']);
    expect(names(spec(false))).toEqual(['prometheus-adapter']);
  });

  it('applies the scalers after Milvus and the controllers', () => {
    expect(autoscalingApp.dependsOn).toEqual(['milvus', 'autoscaling-controllers']);
    const kinds = synthApp(autoscalingApp, resolveClusterSpec(spec(true))).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual([
      'HorizontalPodAutoscaler/milvus-datanode',
      'HorizontalPodAutoscaler/milvus-proxy',
      'HorizontalPodAutoscaler/milvus-querynode',
      'ScaledObject/milvus-indexnode',
    ]);
  });
});
