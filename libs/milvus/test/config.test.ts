import { describe, expect, it } from 'vitest';
import { milvusUserConfig, type MilvusUserConfigProps } from '../src/index.js';

/** What the milvus app maps out of the prod-us-east-1 test spec (bucket acme-milvus-prod), Milvus 2.6 with Woodpecker. */
const props = (over: Partial<MilvusUserConfigProps> = {}): MilvusUserConfigProps => ({
  namespace: 'milvus',
  minor: '2.6',
  etcdRootPath: 'prod-us-east-1',
  s3Endpoint: 's3.us-east-1.amazonaws.com',
  bucket: 'acme-milvus-prod',
  rootPath: 'prod-us-east-1',
  region: 'us-east-1',
  messageQueue: { type: 'woodpecker', mode: 'embedded' },
  logLevel: 'info',
  mixCoordReplicas: 1,
  ...over,
});

describe('milvusUserConfig', () => {
  it('reaches S3 through IAM on the regional endpoint, with no access key', () => {
    const c = milvusUserConfig(props());
    expect(c.minio).toEqual({
      address: 's3.us-east-1.amazonaws.com',
      port: 443,
      useSSL: true,
      bucketName: 'acme-milvus-prod',
      rootPath: 'prod-us-east-1',
      useIAM: true,
      cloudProvider: 'aws',
      region: 'us-east-1',
      useVirtualHost: true,
    });
    expect(JSON.stringify(c)).not.toMatch(/accessKey|secretAccessKey/i);
  });

  it('points at the cluster etcd with a root path unique to the cluster', () => {
    const c = milvusUserConfig(props());
    expect(c.etcd).toEqual({ endpoints: ['milvus-etcd.milvus.svc.cluster.local:2379'], rootPath: 'prod-us-east-1' });
  });

  it('writes the 2.6 WAL to the same bucket with Woodpecker, and no prefix Milvus would ignore', () => {
    const c = milvusUserConfig(props());
    expect(c.mq).toEqual({ type: 'woodpecker' });
    // Milvus puts it under <minio.rootPath>/wp and <etcd.rootPath>/wp whatever these keys say.
    expect(c.woodpecker).toEqual({ storage: { type: 'minio' } });
    expect(c).not.toHaveProperty('kafka');
  });

  it('uses the external Kafka or Pulsar of a 2.5 spec', () => {
    const kafka = milvusUserConfig(props({ minor: '2.5', messageQueue: { type: 'kafka', brokers: ['b-1:9092', 'b-2:9092'] } }));
    expect(kafka.mq).toEqual({ type: 'kafka' });
    expect(kafka.kafka).toEqual({ brokerList: 'b-1:9092,b-2:9092' });
    expect(kafka).not.toHaveProperty('woodpecker');
    const pulsar = milvusUserConfig(
      props({ minor: '2.5', messageQueue: { type: 'pulsar', address: 'pulsar.internal', port: 6650, tenant: 'public', namespace: 'default' } }),
    );
    expect(pulsar.pulsar).toEqual({ address: 'pulsar.internal', port: 6650, tenant: 'public', namespace: 'default' });
  });

  it("turns on 2.5's active-standby, coordinator by coordinator, only when two coordinators run; 2.6 has no key for it", () => {
    const kafka = { type: 'kafka' as const, brokers: ['b-1:9092'] };
    const one = milvusUserConfig(props({ minor: '2.5', messageQueue: kafka, mixCoordReplicas: 1 })) as Record<string, Record<string, unknown>>;
    const two = milvusUserConfig(props({ minor: '2.5', messageQueue: kafka, mixCoordReplicas: 2 })) as Record<string, Record<string, unknown>>;
    for (const section of ['rootCoord', 'queryCoord', 'dataCoord']) {
      expect(one[section]?.enableActiveStandby, section).toBeUndefined();
      expect(two[section]?.enableActiveStandby, section).toBe(true);
    }
    // Merged into what the sections already hold.
    expect(two.rootCoord).toEqual({ port: 22125, enableActiveStandby: true });
    expect(two.dataCoord?.gc).toEqual({ dropTolerance: 10800 });
    expect(two).not.toHaveProperty('mixCoord');
    // 2.6.15's mixcoord is always active-standby and reads no key for it.
    expect(milvusUserConfig(props({ mixCoordReplicas: 2 }))).not.toHaveProperty('mixCoord');
  });
});

describe('etcd snapshots and garbage collection', () => {
  it('keeps dropped segment files at least as long as the oldest etcd snapshot reaches back', () => {
    const c = milvusUserConfig(props({ snapshotWindowSeconds: 72 * 3600 })) as Record<string, any>;
    expect(c.dataCoord.gc.dropTolerance).toBe(72 * 3600);
    // Never below the upstream default of three hours.
    expect((milvusUserConfig(props({ snapshotWindowSeconds: 3600 })) as Record<string, any>).dataCoord.gc.dropTolerance).toBe(10800);
    expect((milvusUserConfig(props()) as Record<string, any>).dataCoord.gc.dropTolerance).toBe(10800);
  });
});

describe('graceful stop', () => {
  // Upstream defaults (configs/milvus.yaml, v2.5.26 and v2.6.15): common and dataNode 1800 s, queryNode
  // and indexNode fall back to common, proxy 30 s, coordinators 5 s.
  const UPSTREAM: Record<string, number> = {
    common: 1800,
    dataNode: 1800,
    queryNode: 1800,
    indexNode: 1800,
    proxy: 30,
    rootCoord: 5,
    queryCoord: 5,
    dataCoord: 5,
  };
  const effective = (c: Record<string, any>, section: string) =>
    c[section]?.gracefulStopTimeout ?? c.common?.gracefulStopTimeout ?? UPSTREAM[section] ?? UPSTREAM.common!;

  for (const version of ['2.5.26', '2.6.15']) {
    it(`lets every ${version} role finish stopping before Kubernetes kills its pod`, async () => {
      const { ROLE_TRAITS } = await import('../src/index.js');
      const c = milvusUserConfig(version.startsWith('2.5') ? props({ minor: '2.5', messageQueue: { type: 'kafka', brokers: ['b:9092'] } }) : props()) as Record<
        string,
        any
      >;
      const roles = version.startsWith('2.5')
        ? ['proxy', 'mixcoord', 'querynode', 'datanode', 'indexnode']
        : ['proxy', 'mixcoord', 'querynode', 'datanode', 'streamingnode'];
      for (const role of roles) {
        const t = ROLE_TRAITS[role as keyof typeof ROLE_TRAITS];
        const sections = role === 'mixcoord' ? ['rootCoord', 'queryCoord', 'dataCoord'] : t.stopTimeoutSections;
        for (const section of sections) expect(effective(c, section), `${role}: ${section}.gracefulStopTimeout`).toBeLessThan(t.terminationGraceSeconds);
      }
      expect(c.dataNode.gracefulStopTimeout).toBe(270);
      expect(c.common.gracefulStopTimeout).toBeLessThan(60);
    });
  }
});

/** A chart with every role of the test spec's Milvus as MilvusRoleWorkload, and what they were built from. */
async function roleWorkloads() {
  const { Testing } = await import('cdk8s');
  const { MilvusRoleWorkload, milvusRoles } = await import('../src/index.js');
  const { resolveClusterSpec, resolvedMilvusRoles } = await import('@milvus-gitops/spec');
  const { testClusterSpec } = await import('@milvus-gitops/spec/testing');
  const chart = Testing.chart();
  const milvus = resolveClusterSpec(testClusterSpec()).milvus;
  const release = {
    version: milvus.version,
    image: milvus.image,
    minor: milvus.minor,
    namespace: milvus.namespace,
    queryNodeCacheSize: milvus.queryNodeCacheSize,
  };
  const roles = milvusRoles({ roles: resolvedMilvusRoles(milvus) });
  for (const instance of roles)
    new MilvusRoleWorkload(chart, instance.role, { cluster: 'c', milvus: release, instance, serviceAccountName: 'milvus', userConfig: 'x' });
  const deployments = () => Testing.synth(chart).filter((o) => o.kind === 'Deployment');
  return { chart, release, roles, deployments };
}

describe('node loss', () => {
  it("replaces every Milvus role's pods a minute after their node stops reporting, not after the API server's 300 s", async () => {
    const { Construct } = await import('constructs');
    const { MilvusRoleWorkload, NODE_LOSS_TOLERATION_SECONDS } = await import('../src/index.js');
    expect(NODE_LOSS_TOLERATION_SECONDS).toBe(60);
    const { chart, release, roles, deployments: synth } = await roleWorkloads();
    const slow = new Construct(chart, 'slow');
    new MilvusRoleWorkload(slow, roles[0]!.role, {
      cluster: 'c',
      milvus: release,
      instance: roles[0]!,
      serviceAccountName: 'milvus',
      userConfig: 'x',
      nodeLossTolerationSeconds: 180,
    });
    const deployments = synth();
    expect(deployments.length).toBe(roles.length + 1);
    for (const d of deployments) {
      const taints = (d.spec.template.spec.tolerations as { key?: string; effect?: string; operator?: string; tolerationSeconds?: number }[]).filter((t) =>
        t.key?.startsWith('node.kubernetes.io/'),
      );
      const seconds = d === deployments.at(-1) ? 180 : 60;
      expect(taints, d.metadata.name).toEqual([
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds },
      ]);
    }
  });
  it('paces rolling updates like the Milvus operator: a new pod counts as available after 30 s Ready; a single coordinator is recreated', async () => {
    const { MIN_READY_SECONDS } = await import('../src/index.js');
    expect(MIN_READY_SECONDS).toBe(30);
    const { deployments } = await roleWorkloads();
    const pacing = Object.fromEntries(deployments().map((d) => [d.metadata.name, [d.spec.strategy.type, d.spec.minReadySeconds]]));
    expect(pacing['milvus-querynode']).toEqual(['RollingUpdate', 30]);
    expect(pacing['milvus-proxy']).toEqual(['RollingUpdate', 30]);
    // A lone coordinator (mixcoord) is replaced, not surged: it must not run twice (recreateWhenSingle).
    expect(pacing['milvus-mixcoord']).toEqual(['Recreate', undefined]);
  });
});
