// The milvus app: Milvus in distributed mode and its etcd, for one cluster. This module is where
// the spec becomes the MilvusCluster's props: the one place that reads the spec for them.

import * as kplus from 'cdk8s-plus-29';
import { AppChart, PRUNE_DISABLED_ANNOTATION, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import { MilvusCluster, milvusRoles, milvusUserConfig, type MilvusClusterProps, type MilvusUserConfigProps } from '@milvus-gitops/milvus';
import { clusterNames, resolvedMilvusRoles, snapshotWindowSeconds, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** What user.yaml of a cluster says: its etcd, bucket and prefixes, queue, snapshot window, log level and coordinators. */
export function milvusUserConfigProps(spec: ResolvedClusterSpec): MilvusUserConfigProps {
  const names = clusterNames(spec);
  return {
    namespace: spec.milvus.namespace,
    minor: spec.milvus.minor,
    etcdRootPath: names.etcdRootPath,
    s3Endpoint: names.s3Endpoint,
    bucket: names.bucket,
    rootPath: names.milvusRootPath,
    region: spec.aws.region,
    messageQueue: spec.milvus.messageQueue,
    snapshotWindowSeconds: snapshotWindowSeconds(spec),
    logLevel: spec.environment === 'prod' ? 'info' : 'debug',
    mixCoordReplicas: spec.milvus.mixCoord.replicas,
  };
}

/** What the MilvusCluster of a cluster takes: its release, roles, IRSA bindings, user.yaml, etcd and its snapshots. */
export function milvusClusterProps(spec: ResolvedClusterSpec): MilvusClusterProps {
  const names = clusterNames(spec);
  const { milvus } = spec;
  const etcdInstance = `${spec.name}-milvus`;
  return {
    instance: spec.name,
    release: { version: milvus.version, image: milvus.image, minor: milvus.minor, namespace: milvus.namespace, queryNodeCacheSize: milvus.queryNodeCacheSize },
    roles: milvusRoles({ roles: resolvedMilvusRoles(milvus) }),
    serviceAccount: names.irsa.milvus!,
    userConfig: milvusUserConfig(milvusUserConfigProps(spec)),
    etcd: { namespace: milvus.namespace, instance: etcdInstance, storageSize: milvus.etcd.storageSize },
    etcdBackup: {
      binding: names.irsa['etcd-backup']!,
      bucket: names.etcdBackupBucket,
      prefix: names.etcdBackupPrefix,
      schedule: milvus.etcd.snapshotSchedule,
      retain: milvus.etcd.snapshotsRetained,
      region: spec.aws.region,
      instance: etcdInstance,
    },
  };
}

/** Builds the milvus app's chart for a cluster. */
export function buildMilvusApp(scope: Construct, spec: ResolvedClusterSpec): AppChart {
  const chart = new AppChart(scope, 'milvus', { cluster: spec.name, app: 'milvus' });
  new kplus.Namespace(chart, 'Namespace', {
    // Deleting the namespace deletes etcd's volumes: Flux must never prune it.
    metadata: { name: spec.milvus.namespace, labels: standardLabels({ name: 'milvus', instance: spec.name }), annotations: { ...PRUNE_DISABLED_ANNOTATION } },
  });
  new MilvusCluster(chart, 'Milvus', milvusClusterProps(spec));
  return chart;
}

/** The milvus app definition, as the render pipeline lists it. */
export const milvusApp: AppDefinition = {
  name: 'milvus',
  description: 'Milvus in distributed mode and its etcd',
  // Pods need nodes of their class, which the provisioner and its pools create. Not monitoring:
  // nothing here needs its CRDs, and a failing kube-prometheus-stack must not hold a Milvus fix.
  dependsOn: ['node-provisioning', 'node-pools'],
  build: buildMilvusApp,
};

/**
 * The MilvusCluster the milvus app built in the same render, for an app whose objects take its
 * workloads (scalers, monitors); an error naming the cluster and the app when there is none.
 */
export function milvusWorkloadsFor(scope: Construct, cluster: string, app: string): MilvusCluster {
  const milvus = MilvusCluster.of(scope);
  if (!milvus) throw new Error(`${cluster}: the ${app} app needs the milvus app's workloads in the same render`);
  return milvus;
}
