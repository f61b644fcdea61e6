// The Milvus user config (mounted as /milvus/configs/user.yaml) derived from a resolved spec:
// S3 through IRSA (never an access key), etcd endpoints and root path, and the message queue.

import { clusterNames, milvusRolesOf, snapshotWindowSeconds, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { gracefulStopSeconds, ROLE_TRAITS, ROOT_COORD_PORT } from './roles.js';

/** Port the etcd client Service listens on. */
export const ETCD_CLIENT_PORT = 2379;
/** Port etcd members talk to each other on. */
export const ETCD_PEER_PORT = 2380;
/** Name of the etcd StatefulSet and the prefix of its Services. */
export const ETCD_NAME = 'milvus-etcd';
/** Members of the etcd cluster: one per zone. */
export const ETCD_MEMBERS = 3;

/** `host:port` of the etcd client Service in Milvus' namespace. */
export function etcdClientService(namespace: string): string {
  return `${ETCD_NAME}.${namespace}.svc.cluster.local:${ETCD_CLIENT_PORT}`;
}

/** The keys of user.yaml as a plain object (serialized with sorted keys by the construct). */
export function milvusUserConfig(spec: ResolvedClusterSpec): Record<string, unknown> {
  const names = clusterNames(spec);
  const mq = spec.milvus.messageQueue;
  const config: Record<string, unknown> = {
    etcd: {
      endpoints: [etcdClientService(spec.milvus.namespace)],
      rootPath: names.etcdRootPath,
    },
    metastore: { type: 'etcd' },
    minio: {
      address: names.s3Endpoint,
      port: 443,
      useSSL: true,
      bucketName: names.bucket,
      rootPath: names.milvusRootPath,
      // Credentials come from the IRSA web-identity token through the AWS SDK chain.
      useIAM: true,
      cloudProvider: 'aws',
      region: spec.aws.region,
      useVirtualHost: true,
    },
    mq: { type: mq.type },
    queryNode: {
      // Disk indexes and mmap'd segments live on the node's NVMe (the query node's data volume).
      enableDisk: true,
    },
    rootCoord: { port: ROOT_COORD_PORT },
    // A dropped segment's files outlive the oldest etcd snapshot kept, so a restore from it finds
    // every file it names (upstream default 10800 s; configs/milvus.yaml dataCoord.gc.dropTolerance).
    dataCoord: { gc: { dropTolerance: Math.max(10800, snapshotWindowSeconds(spec) ?? 0) } },
    // Every role writes its scratch data under the one writable mount.
    localStorage: { path: '/var/lib/milvus/data' },
    log: { level: spec.environment === 'prod' ? 'info' : 'debug', format: 'json', stdout: true },
  };
  // Every role stops (handing segments and channels over) before its pod's grace period runs out;
  // the common fallback (1800 s upstream) covers any role without a key of its own.
  const roles = milvusRolesOf(spec.milvus.minor);
  for (const role of roles) {
    for (const section of ROLE_TRAITS[role].stopTimeoutSections) {
      const current = (config[section] ?? {}) as Record<string, unknown>;
      const bound = Math.min(gracefulStopSeconds(role), (current.gracefulStopTimeout as number | undefined) ?? Infinity);
      config[section] = { ...current, gracefulStopTimeout: bound };
    }
  }
  config.common = { gracefulStopTimeout: Math.min(...roles.map(gracefulStopSeconds)) };
  switch (mq.type) {
    case 'woodpecker':
      config.woodpecker = {
        meta: { type: 'etcd', prefix: 'woodpecker' },
        storage: { type: 'minio', rootPath: `${names.milvusRootPath}/woodpecker` },
      };
      break;
    case 'kafka':
      config.kafka = { brokerList: mq.brokers.join(',') };
      break;
    case 'pulsar':
      config.pulsar = { address: mq.address, port: mq.port, tenant: mq.tenant, namespace: mq.namespace };
      break;
  }
  if (spec.milvus.mixCoord.replicas > 1) {
    // A second coordinator only helps as a hot standby; two active ones would conflict.
    config.mixCoord = { enableActiveStandby: true };
  }
  return config;
}
