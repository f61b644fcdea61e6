// Milvus in distributed mode for one cluster: config, ServiceAccount, every role of its version,
// etcd and the etcd backup. The milvus app composes this one construct.

import { IrsaServiceAccount, standardLabels } from '@milvus-gitops/core';
import { clusterNames, type MilvusRole, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { EtcdBackup } from './etcd-backup.js';
import { EtcdCluster } from './etcd.js';
import { milvusUserConfig } from './config.js';
import { MilvusConfig } from './milvus-config.js';
import { MilvusRoleWorkload } from './role-workload.js';
import { milvusRoles } from './roles.js';

/** Props of MilvusCluster. */
export interface MilvusClusterProps {
  /** The cluster being rendered. */
  readonly spec: ResolvedClusterSpec;
}

/** Every Milvus object of a cluster. */
export class MilvusCluster extends Construct {
  /** The role workloads, by role name (what autoscaling targets and monitoring scrapes). */
  readonly roles: ReadonlyMap<MilvusRole, MilvusRoleWorkload>;
  /** The metadata store. */
  readonly etcd: EtcdCluster;
  /** The cluster's name (`app.kubernetes.io/instance` of the Milvus objects). */
  readonly instance: string;

  /** The MilvusCluster of the cdk8s App `scope` belongs to (one per cluster render), if built. */
  static of(scope: Construct): MilvusCluster | undefined {
    return scope.node.root.node.findAll().find((c): c is MilvusCluster => c instanceof MilvusCluster);
  }

  constructor(scope: Construct, id: string, props: MilvusClusterProps) {
    super(scope, id);
    const { spec } = props;
    const names = clusterNames(spec);
    const labels = standardLabels({ name: 'milvus', instance: spec.name, version: spec.milvus.version });
    const sa = new IrsaServiceAccount(this, 'ServiceAccount', { binding: names.irsa.milvus!, labels });
    const config = new MilvusConfig(this, 'Config', { config: milvusUserConfig(spec), namespace: spec.milvus.namespace, labels });
    const roles = new Map<MilvusRole, MilvusRoleWorkload>();
    for (const instance of milvusRoles(spec)) {
      roles.set(
        instance.role,
        new MilvusRoleWorkload(this, instance.role, {
          cluster: spec.name,
          milvus: spec.milvus,
          instance,
          serviceAccountName: sa.serviceAccount.name,
          userConfig: config.userYaml,
        }),
      );
    }
    this.roles = roles;
    this.instance = spec.name;
    this.etcd = new EtcdCluster(this, 'Etcd', { spec });
    new EtcdBackup(this, 'EtcdBackup', {
      etcd: this.etcd,
      binding: names.irsa['etcd-backup']!,
      bucket: names.etcdBackupBucket,
      prefix: names.etcdBackupPrefix,
      schedule: spec.milvus.etcd.snapshotSchedule,
      retain: spec.milvus.etcd.snapshotsRetained,
      region: spec.aws.region,
      instance: `${spec.name}-milvus`,
    });
  }
}
