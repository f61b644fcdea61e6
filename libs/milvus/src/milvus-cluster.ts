// Milvus in distributed mode for one cluster: config, ServiceAccount, every role of its version,
// etcd and the etcd backup. The milvus app composes this one construct.

import { IrsaServiceAccount, standardLabels } from '@milvus-gitops/core';
import type { IrsaBinding, MilvusRole } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { EtcdBackup, type EtcdBackupProps } from './etcd-backup.js';
import { EtcdCluster, type EtcdClusterProps } from './etcd.js';
import { MilvusConfig } from './milvus-config.js';
import { MilvusRoleWorkload, type MilvusRelease } from './role-workload.js';
import type { RoleInstance } from './roles.js';

/** Props of MilvusCluster: what it renders, mapped from the spec by the milvus app. */
export interface MilvusClusterProps {
  /**
   * The cluster's name: `app.kubernetes.io/instance` of the Milvus objects and part of each role's selector.
   * @default - required, no default
   */
  readonly instance: string;
  /**
   * The Milvus release and where it runs: version, image, minor, namespace, query-node cache size.
   * @default - required, no default
   */
  readonly release: MilvusRelease;
  /**
   * The roles to run, in order, each with its node class, resources and replicas (`milvusRoles`).
   * @default - required, no default
   */
  readonly roles: readonly RoleInstance[];
  /**
   * IRSA binding of the ServiceAccount every role runs as (S3 access without keys).
   * @default - required, no default
   */
  readonly serviceAccount: IrsaBinding;
  /**
   * The keys of user.yaml (`milvusUserConfig`); their hash rolls the pods when they change.
   * @default - required, no default
   */
  readonly userConfig: Readonly<Record<string, unknown>>;
  /**
   * The metadata store: namespace, instance and volume size of the etcd members.
   * @default - required, no default
   */
  readonly etcd: EtcdClusterProps;
  /**
   * The etcd snapshot job: IRSA binding, bucket, prefix, schedule, retention, region (it snapshots `etcd`).
   * @default - required, no default
   */
  readonly etcdBackup: Omit<EtcdBackupProps, 'etcd'>;
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
    const { instance, release } = props;
    const labels = standardLabels({ name: 'milvus', instance, version: release.version });
    const sa = new IrsaServiceAccount(this, 'ServiceAccount', { binding: props.serviceAccount, labels });
    const config = new MilvusConfig(this, 'Config', { config: props.userConfig, namespace: release.namespace, labels });
    const roles = new Map<MilvusRole, MilvusRoleWorkload>();
    for (const role of props.roles) {
      roles.set(
        role.role,
        new MilvusRoleWorkload(this, role.role, {
          cluster: instance,
          milvus: release,
          instance: role,
          serviceAccountName: sa.serviceAccount.name,
          userConfig: config.userYaml,
        }),
      );
    }
    this.roles = roles;
    this.instance = instance;
    this.etcd = new EtcdCluster(this, 'Etcd', props.etcd);
    new EtcdBackup(this, 'EtcdBackup', { ...props.etcdBackup, etcd: this.etcd });
  }
}
