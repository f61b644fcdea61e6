// The milvus app: Milvus in distributed mode and its etcd, for one cluster.

import * as kplus from 'cdk8s-plus-29';
import { AppChart, PRUNE_DISABLED_ANNOTATION, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import { MilvusCluster } from '@milvus-gitops/milvus';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** Builds the milvus app's chart for a cluster. */
export function buildMilvusApp(scope: Construct, spec: ResolvedClusterSpec): AppChart {
  const chart = new AppChart(scope, 'milvus', { spec, app: 'milvus' });
  new kplus.Namespace(chart, 'Namespace', {
    // Deleting the namespace deletes etcd's volumes: Flux must never prune it.
    metadata: { name: spec.milvus.namespace, labels: standardLabels({ name: 'milvus', instance: spec.name }), annotations: { ...PRUNE_DISABLED_ANNOTATION } },
  });
  new MilvusCluster(chart, 'Milvus', { spec });
  return chart;
}

/** The milvus app definition, as the render pipeline lists it. */
export const milvusApp: AppDefinition = {
  name: 'milvus',
  description: 'Milvus in distributed mode and its etcd',
  // Pods need nodes of their class, which the provisioner and its pools create.
  dependsOn: ['node-provisioning', 'node-pools', 'monitoring'],
  build: buildMilvusApp,
};
