// Defaults, applied in this one place: constructs never invent their own fallbacks for spec fields.
// `applyDefaults` is a pure merge that tolerates a malformed input; validate.ts judges the result (structure.ts, rules.ts).

import { MILVUS_ROLE_NAMES, MILVUS_ROLES, type MilvusFixedRoleKey, type MilvusScalableRoleKey } from './roles.js';
import { milvusImage } from './versions.js';
import type {
  ClusterSpec,
  Environment,
  FixedRoleSpec,
  MilvusMinor,
  MilvusRoleKey,
  MilvusSize,
  NodeClassLimit,
  ResolvedClusterSpec,
  ResolvedFixedRole,
  ResolvedMessageQueue,
  ResolvedMilvus,
  ResolvedResources,
  ResolvedScalableRole,
  ResolvedVectorIndex,
  ResolvedWorkload,
  ScalableRoleSpec,
  VectorIndexSpec,
  WorkloadSpec,
} from './types.js';

type RolePreset = { resources: ResolvedResources };
type ScalablePreset = RolePreset & { minReplicas: number; maxReplicas: number };
type FixedPreset = RolePreset & { replicas: number };

/** A size preset: every role of every minor (MILVUS_ROLES), and the query-node cache. */
type SizePreset = Record<MilvusScalableRoleKey, ScalablePreset> &
  Record<MilvusFixedRoleKey, FixedPreset> & {
    queryNodeCacheSize: string;
  };

function res(cpu: string, memory: string, cpuLimit: string, memoryLimit: string): ResolvedResources {
  return { requests: { cpu, memory }, limits: { cpu: cpuLimit, memory: memoryLimit } };
}

/**
 * Size presets. Query nodes get memory limit = request: a query node is sized by the segments it
 * holds, and a limit above the request only invites the OOM killer under node pressure.
 * Query pods follow the query class's instance shape (r6id: 8 GiB per vCPU) and leave room for
 * what the node keeps (kube-reserved, DaemonSets, VM overhead), so whole pods fill an instance:
 * large is one per 2xlarge or two per 4xlarge, medium two per 2xlarge (libs/nodes capacity.ts).
 */
export const SIZE_PRESETS: Readonly<Record<MilvusSize, SizePreset>> = {
  small: {
    proxy: { minReplicas: 1, maxReplicas: 2, resources: res('250m', '512Mi', '1', '1Gi') },
    mixCoord: { replicas: 1, resources: res('250m', '512Mi', '1', '1Gi') },
    queryNode: { minReplicas: 1, maxReplicas: 3, resources: res('1', '7Gi', '2', '7Gi') },
    dataNode: { minReplicas: 1, maxReplicas: 2, resources: res('500m', '1Gi', '2', '2Gi') },
    indexNode: { minReplicas: 1, maxReplicas: 2, resources: res('1', '2Gi', '2', '4Gi') },
    streamingNode: { replicas: 1, resources: res('500m', '1Gi', '2', '2Gi') },
    queryNodeCacheSize: '20Gi',
  },
  medium: {
    proxy: { minReplicas: 2, maxReplicas: 4, resources: res('1', '2Gi', '2', '4Gi') },
    mixCoord: { replicas: 1, resources: res('1', '2Gi', '2', '4Gi') },
    queryNode: { minReplicas: 2, maxReplicas: 10, resources: res('3500m', '26Gi', '3500m', '26Gi') },
    dataNode: { minReplicas: 1, maxReplicas: 4, resources: res('2', '4Gi', '4', '8Gi') },
    indexNode: { minReplicas: 1, maxReplicas: 6, resources: res('4', '8Gi', '8', '16Gi') },
    streamingNode: { replicas: 2, resources: res('2', '4Gi', '4', '8Gi') },
    queryNodeCacheSize: '100Gi',
  },
  large: {
    proxy: { minReplicas: 3, maxReplicas: 8, resources: res('2', '4Gi', '4', '8Gi') },
    mixCoord: { replicas: 2, resources: res('2', '4Gi', '4', '8Gi') },
    queryNode: { minReplicas: 2, maxReplicas: 20, resources: res('7', '54Gi', '7', '54Gi') },
    dataNode: { minReplicas: 2, maxReplicas: 8, resources: res('4', '8Gi', '8', '16Gi') },
    indexNode: { minReplicas: 1, maxReplicas: 10, resources: res('8', '16Gi', '16', '32Gi') },
    streamingNode: { replicas: 3, resources: res('4', '8Gi', '8', '16Gi') },
    queryNodeCacheSize: '300Gi',
  },
};

const ENVIRONMENT_DEFAULTS: Readonly<
  Record<Environment, { size: MilvusSize; retention: string; promStorage: string; etcdStorage: string; classLimit: NodeClassLimit }>
> = {
  prod: { size: 'medium', retention: '15d', promStorage: '100Gi', etcdStorage: '20Gi', classLimit: { cpu: 1000, memoryGi: 8000 } },
  staging: { size: 'medium', retention: '7d', promStorage: '50Gi', etcdStorage: '20Gi', classLimit: { cpu: 200, memoryGi: 1600 } },
  dev: { size: 'small', retention: '3d', promStorage: '20Gi', etcdStorage: '10Gi', classLimit: { cpu: 64, memoryGi: 512 } },
};

/** The VPC of a spec without `aws.vpcCidr` (the address space every cluster had before the field existed). */
export const DEFAULT_VPC_CIDR = '10.0.0.0/16';

/** `2.6.15` -> `2.6`; anything else is returned as given and rejected by validation. */
export function milvusMinorOf(version: string): MilvusMinor {
  const m = /^(\d+)\.(\d+)\.\d+$/.exec(String(version));
  return (m ? `${m[1]}.${m[2]}` : String(version)) as MilvusMinor;
}

function mergeResources(preset: ResolvedResources, given: ScalableRoleSpec['resources']): ResolvedResources {
  return {
    requests: { ...preset.requests, ...given?.requests },
    limits: { ...preset.limits, ...given?.limits },
  };
}

function scalable(preset: ScalablePreset, given: ScalableRoleSpec | undefined): ResolvedScalableRole {
  return {
    minReplicas: given?.minReplicas ?? preset.minReplicas,
    maxReplicas: given?.maxReplicas ?? preset.maxReplicas,
    resources: mergeResources(preset.resources, given?.resources),
  };
}

function fixed(preset: FixedPreset, given: FixedRoleSpec | undefined): ResolvedFixedRole {
  return { replicas: given?.replicas ?? preset.replicas, resources: mergeResources(preset.resources, given?.resources) };
}

/**
 * The roles a spec's minor runs (MILVUS_ROLES), and any role the spec sizes although its minor does
 * not run it (validation rejects those), each merged over the preset, in table order.
 */
function roleSizes(preset: SizePreset, m: ClusterSpec['milvus'], minor: MilvusMinor): Partial<Record<MilvusRoleKey, ResolvedScalableRole | ResolvedFixedRole>> {
  const roles: Partial<Record<MilvusRoleKey, ResolvedScalableRole | ResolvedFixedRole>> = {};
  for (const role of MILVUS_ROLE_NAMES) {
    const def = MILVUS_ROLES[role];
    if (!(def.minors as readonly MilvusMinor[]).includes(minor) && m[def.specKey] === undefined) continue;
    roles[def.specKey] = def.replicas === 'fixed' ? fixed(preset[def.specKey], m[def.specKey]) : scalable(preset[def.specKey], m[def.specKey]);
  }
  return roles;
}

function messageQueue(spec: ClusterSpec, minor: MilvusMinor): ResolvedMessageQueue {
  const mq = spec.milvus?.messageQueue;
  if (mq === undefined) {
    // Only 2.6 has a queue that needs no broker; validation reports a 2.5 spec without one.
    return { type: 'woodpecker', mode: 'embedded' };
  }
  switch (mq.type) {
    case 'woodpecker':
      return { type: 'woodpecker', mode: mq.mode ?? 'embedded' };
    case 'kafka':
      return { type: 'kafka', brokers: mq.brokers, ...(mq.network ? { network: mq.network } : {}) };
    case 'pulsar':
      return {
        type: 'pulsar',
        address: mq.address,
        port: mq.port ?? 6650,
        tenant: mq.tenant ?? 'public',
        namespace: mq.namespace ?? 'default',
      };
    default:
      void minor;
      return mq as ResolvedMessageQueue;
  }
}

/** Applies every default; the result is meaningful only once `validateClusterSpec` finds no problem. */
export function applyDefaults(spec: ClusterSpec): ResolvedClusterSpec {
  const env = ENVIRONMENT_DEFAULTS[spec.environment] ?? ENVIRONMENT_DEFAULTS.prod;
  const m = spec.milvus ?? ({} as ClusterSpec['milvus']);
  const size = m.size ?? env.size;
  const preset = SIZE_PRESETS[size] ?? SIZE_PRESETS.medium;
  const minor = milvusMinorOf(m.version);
  const name = spec.name;
  const accountId = spec.aws?.accountId;
  const q = spec.autoscaling?.queryNode;
  const ix = spec.autoscaling?.indexBuild;
  const mon = spec.monitoring;

  return {
    name,
    environment: spec.environment,
    aws: {
      ...spec.aws,
      adminRoleArns: spec.aws?.adminRoleArns ?? [],
      vpcCidr: spec.aws?.vpcCidr ?? DEFAULT_VPC_CIDR,
      // Public only where someone said from where: listing blocks is what opens the public endpoint.
      endpointPublicAccess: spec.aws?.endpointPublicAccess ?? (spec.aws?.publicAccessCidrs ?? []).length > 0,
      publicAccessCidrs: spec.aws?.publicAccessCidrs ?? [],
    },
    kubernetes: spec.kubernetes,
    // Built from the table, so typed by the cast: for a valid spec it is the minor's ResolvedMilvus
    // (one test per minor checks the role fields); validation judges any other.
    milvus: {
      version: m.version,
      minor,
      image: milvusImage(m.version),
      size,
      namespace: m.namespace ?? 'milvus',
      messageQueue: messageQueue(spec, minor),
      ...roleSizes(preset, m, minor),
      queryNodeCacheSize: m.queryNodeCacheSize ?? preset.queryNodeCacheSize,
      etcd: {
        storageSize: m.etcd?.storageSize ?? env.etcdStorage,
        snapshotSchedule: m.etcd?.snapshotSchedule ?? '0 * * * *',
        snapshotsRetained: m.etcd?.snapshotsRetained ?? 48,
      },
    } as ResolvedMilvus,
    storage: {
      bucket: spec.storage?.bucket ?? `milvus-${name}-${accountId}`,
      rootPath: spec.storage?.rootPath ?? name,
      etcdBackupBucket: spec.storage?.etcdBackupBucket ?? `${spec.storage?.bucket ?? `milvus-${name}-${accountId}`}-backups`,
      etcdBackupPrefix: spec.storage?.etcdBackupPrefix ?? `etcd-backups/${name}`,
      ...(spec.storage?.etcdBackupReplicaRegion !== undefined ? { etcdBackupReplicaRegion: spec.storage.etcdBackupReplicaRegion } : {}),
      noncurrentVersionDays: spec.storage?.noncurrentVersionDays ?? 30,
    },
    nodes: {
      provisioner: spec.nodes?.provisioner,
      gpuIndexBuild: spec.nodes?.gpuIndexBuild ?? false,
      amiVersion: spec.nodes?.amiVersion ?? 'latest',
      limits: {
        system: spec.nodes?.limits?.system ?? env.classLimit,
        query: spec.nodes?.limits?.query ?? env.classLimit,
        index: spec.nodes?.limits?.index ?? env.classLimit,
        data: spec.nodes?.limits?.data ?? env.classLimit,
        'gpu-index': spec.nodes?.limits?.['gpu-index'] ?? env.classLimit,
      },
    },
    autoscaling: {
      queryNode: {
        cpuUtilization: q?.cpuUtilization ?? 70,
        memoryUtilization: q?.memoryUtilization ?? 75,
        queueDepthPerPod: q?.queueDepthPerPod ?? 8,
        p99LatencyMs: q?.p99LatencyMs ?? 150,
      },
      indexBuild: {
        pendingTasksPerReplica: ix?.pendingTasksPerReplica ?? 2,
        scaleToZero: ix?.scaleToZero ?? false,
      },
    },
    monitoring: {
      retention: mon?.retention ?? env.retention,
      storageSize: mon?.storageSize ?? env.promStorage,
      searchLatencySloMs: mon?.searchLatencySloMs ?? 200,
      queryNodeMemoryAlertRatio: mon?.queryNodeMemoryAlertRatio ?? 0.85,
      grafana: mon?.grafana ?? true,
    },
    gitops: {
      repositoryUrl: spec.gitops?.repositoryUrl,
      branch: spec.gitops?.branch ?? 'rendered',
      secretRef: spec.gitops?.secretRef ?? 'flux-system',
      interval: spec.gitops?.interval ?? '5m',
    },
    workload: workload(spec.workload, size),
    acknowledgedRisks: spec.acknowledgedRisks ?? {},
  };
}

/** What a size preset is sized to serve when the spec declares no workload. */
const WORKLOAD_PRESETS: Readonly<Record<MilvusSize, { vectors: number; searchQps: number }>> = {
  small: { vectors: 1_000_000, searchQps: 20 },
  medium: { vectors: 10_000_000, searchQps: 100 },
  large: { vectors: 50_000_000, searchQps: 300 },
};

function vectorIndex(given: VectorIndexSpec | undefined): ResolvedVectorIndex {
  switch (given?.type) {
    case 'IVF_FLAT':
    case 'IVF_SQ8':
      return { type: given.type, nlist: given.nlist ?? 1024, nprobe: given.nprobe ?? 16 };
    case 'DISKANN':
      return { type: 'DISKANN', searchList: given.searchList ?? 100 };
    default:
      return { type: 'HNSW', M: given?.M ?? 16, ef: given?.ef ?? 64 };
  }
}

function workload(given: WorkloadSpec | undefined, size: MilvusSize): ResolvedWorkload {
  const preset = WORKLOAD_PRESETS[size] ?? WORKLOAD_PRESETS.medium;
  const collections = given?.collections ?? [{ name: 'default', vectors: preset.vectors, dimension: 768 }];
  const t = given?.traffic;
  return {
    collections: collections.map((c) => ({
      name: c.name,
      vectors: c.vectors,
      dimension: c.dimension,
      index: vectorIndex(c.index),
      replicas: c.replicas ?? 1,
      shards: c.shards ?? 1,
    })),
    traffic: {
      searchQps: t?.searchQps ?? preset.searchQps,
      insertRowsPerSecond: t?.insertRowsPerSecond ?? 0,
      topK: t?.topK ?? 10,
      ...(t?.searchCoreMs !== undefined ? { searchCoreMs: t.searchCoreMs } : {}),
    },
  };
}
