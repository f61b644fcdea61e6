// The milvus app: everything Milvus needs in its namespace for one cluster.

import * as kplus from 'cdk8s-plus-29';
import { AppChart, IrsaServiceAccount, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import { MilvusConfig } from '@milvus-gitops/milvus';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** Builds the milvus app's chart for a cluster. */
export function buildMilvusApp(scope: Construct, spec: ResolvedClusterSpec): AppChart {
  const names = clusterNames(spec);
  const chart = new AppChart(scope, 'milvus', { spec, app: 'milvus' });
  const labels = standardLabels({ name: 'milvus', instance: spec.name, version: spec.milvus.version });
  new kplus.Namespace(chart, 'Namespace', { metadata: { name: spec.milvus.namespace, labels } });
  new IrsaServiceAccount(chart, 'ServiceAccount', { binding: names.irsa.milvus!, labels });
  new MilvusConfig(chart, 'Config', { spec, labels });
  return chart;
}

/** The milvus app definition, as the render pipeline lists it. */
export const milvusApp: AppDefinition = {
  name: 'milvus',
  description: 'Milvus in distributed mode and its etcd',
  build: buildMilvusApp,
};
