// The Milvus user config (mounted as /milvus/configs/user.yaml) from what the milvus app maps out of
// a resolved spec: S3 through IRSA (never an access key), etcd endpoints and root path, and the message queue.

import { milvusRolesOf, type MilvusMinor, type ResolvedMessageQueue } from '@milvus-gitops/spec';
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

/** Input of milvusUserConfig: what user.yaml says about the cluster's storage, metadata, queue and release. */
export interface MilvusUserConfigProps {
  /**
   * Namespace of Milvus and its etcd: the etcd client Service's address (`spec.milvus.namespace`).
   * @default - required, no default
   */
  readonly namespace: string;
  /**
   * Milvus minor: which roles run, and so which sections get a `gracefulStopTimeout`.
   * @default - required, no default
   */
  readonly minor: MilvusMinor;
  /**
   * etcd key prefix of this cluster's metadata (`clusterNames(spec).etcdRootPath`).
   * @default - required, no default
   */
  readonly etcdRootPath: string;
  /**
   * Regional S3 endpoint host (`clusterNames(spec).s3Endpoint`).
   * @default - required, no default
   */
  readonly s3Endpoint: string;
  /**
   * Bucket of the segment files (`clusterNames(spec).bucket`).
   * @default - required, no default
   */
  readonly bucket: string;
  /**
   * Key prefix of Milvus' objects in the bucket, Woodpecker's WAL under `<rootPath>/wp` (`clusterNames(spec).milvusRootPath`).
   * @default - required, no default
   */
  readonly rootPath: string;
  /**
   * AWS region of the bucket.
   * @default - required, no default
   */
  readonly region: string;
  /**
   * The message queue (WAL) Milvus writes to: Woodpecker, Kafka or Pulsar.
   * @default - required, no default
   */
  readonly messageQueue: ResolvedMessageQueue;
  /**
   * Seconds the oldest kept etcd snapshot reaches back (`snapshotWindowSeconds(spec)`): dropped
   * segment files are kept at least this long.
   * @default - no window known: the upstream drop tolerance (10800 s)
   */
  readonly snapshotWindowSeconds?: number;
  /**
   * Log level of every role.
   * @default - required, no default
   */
  readonly logLevel: 'info' | 'debug';
  /**
   * Replicas of the coordinator: more than one turns on 2.5's active-standby (2.6 always runs it).
   * @default - required, no default
   */
  readonly mixCoordReplicas: number;
}

/** The keys of user.yaml as a plain object (serialized with sorted keys by the construct). */
export function milvusUserConfig(props: MilvusUserConfigProps): Record<string, unknown> {
  const mq = props.messageQueue;
  const config: Record<string, unknown> = {
    etcd: {
      endpoints: [etcdClientService(props.namespace)],
      rootPath: props.etcdRootPath,
    },
    metastore: { type: 'etcd' },
    minio: {
      address: props.s3Endpoint,
      port: 443,
      useSSL: true,
      bucketName: props.bucket,
      rootPath: props.rootPath,
      // Credentials come from the IRSA web-identity token through the AWS SDK chain.
      useIAM: true,
      cloudProvider: 'aws',
      region: props.region,
      useVirtualHost: true,
    },
    mq: { type: mq.type },
    queryNode: {
      // Its one effect in 2.5.26 and 2.6.15: knowhere's search thread pool gets
      // `queryNode.segcore.knowhereThreadPoolNumRatio` (4) threads per CPU instead of one, which
      // disk-bound search (DiskANN) wants (pkg/util/paramtable/component_param.go, KnowhereThreadPoolSize).
      enableDisk: true,
    },
    rootCoord: { port: ROOT_COORD_PORT },
    // A dropped segment's files outlive the oldest etcd snapshot kept, so a restore from it finds
    // every file it names (upstream default 10800 s; configs/milvus.yaml dataCoord.gc.dropTolerance).
    dataCoord: { gc: { dropTolerance: Math.max(10800, props.snapshotWindowSeconds ?? 0) } },
    // Every role writes its scratch data under the one writable mount.
    localStorage: { path: '/var/lib/milvus/data' },
    log: { level: props.logLevel, format: 'json', stdout: true },
  };
  // Every role stops (handing segments and channels over) before its pod's grace period runs out.
  // `common.gracefulStopTimeout` (1800 s upstream) is read only as the fallback of the query
  // node's key (and on 2.5 the index node's), both set here; it is kept at the shortest grace so
  // that no role could fall back to 1800 s.
  const roles = milvusRolesOf(props.minor);
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
      // The WAL in the cluster's bucket (`minio`, the 2.6 default, said here because it is the
      // choice). Where it goes is not configurable: Milvus sets Woodpecker's object prefix to
      // `<minio.rootPath>/wp` and its etcd prefix to `<etcd.rootPath>/wp` whatever
      // `woodpecker.storage.rootPath` and `woodpecker.meta.prefix` say (the first is read only by
      // the local and service storage types): pkg/streaming/walimpls/impls/wp/builder.go,
      // setCustomWpConfig, milvus v2.6.15. So neither is rendered, and nobody looks for the WAL where it is not.
      config.woodpecker = { storage: { type: 'minio' } };
      break;
    case 'kafka':
      config.kafka = { brokerList: mq.brokers.join(',') };
      break;
    case 'pulsar':
      config.pulsar = { address: mq.address, port: mq.port, tenant: mq.tenant, namespace: mq.namespace };
      break;
  }
  if (props.mixCoordReplicas > 1 && props.minor === '2.5') {
    // A second coordinator only helps as a hot standby; two active ones would conflict. 2.5 runs
    // each coordinator of the mixture with its own session and key (rootCoord, queryCoord and
    // dataCoord.enableActiveStandby, component_param.go v2.5.26; it has no mixCoord section).
    // 2.6's mixcoord is always active-standby (internal/coordinator/mix_coord.go initSession:
    // SetEnableActiveStandBy(true), v2.6.15) and reads no key for it, so none is rendered.
    for (const section of ['rootCoord', 'queryCoord', 'dataCoord'] as const) {
      config[section] = { ...((config[section] ?? {}) as Record<string, unknown>), enableActiveStandby: true };
    }
  }
  return config;
}
