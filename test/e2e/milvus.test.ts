import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { APPS, renderCluster } from '@milvus-gitops/cli';
import { validateClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { EXAMPLES } from './clusters.js';

type Obj = Record<string, any>;

/** The roles each Milvus minor runs (2.5: index nodes; 2.6: streaming nodes). */
const ROLES_BY_MINOR: Record<string, string[]> = {
  '2.5': ['datanode', 'indexnode', 'mixcoord', 'proxy', 'querynode'],
  '2.6': ['datanode', 'mixcoord', 'proxy', 'querynode', 'streamingnode'],
};
const ROLES: Record<string, string[]> = Object.fromEntries(
  Object.entries(EXAMPLES).map(([n, s]) => [n, ROLES_BY_MINOR[s.milvus.version.split('.').slice(0, 2).join('.')]!]),
);

describe.each(Object.keys(EXAMPLES))('milvus app of %s', (name) => {
  const objects = renderCluster(EXAMPLES[name]!, APPS)
    .files.filter((f) => f.path.startsWith('milvus/'))
    .map((f) => f.object as Obj);
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  it('runs exactly the roles of its Milvus version', () => {
    // The coordinators run as `milvus run mixture -rootcoord ...` on every version, in the Deployment named for them.
    expect(deployments.map((d) => d.metadata.name.replace(/^milvus-/, '')).sort()).toEqual(ROLES[name]);
    for (const d of deployments) {
      const role = d.metadata.name.replace(/^milvus-/, '');
      expect(d.spec.template.spec.containers[0].args.slice(0, 3)).toEqual(['milvus', 'run', role === 'mixcoord' ? 'mixture' : role]);
    }
  });

  it('configures S3 through IAM with the cluster bucket and no key', () => {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'milvus-config')!;
    const minio = parse(cm.data['user.yaml']).minio;
    const spec = EXAMPLES[name]!;
    expect(minio).toMatchObject({ useIAM: true, cloudProvider: 'aws', region: spec.aws.region, address: `s3.${spec.aws.region}.amazonaws.com` });
    if (spec.storage?.bucket) expect(minio.bucketName).toBe(spec.storage.bucket);
    expect(cm.data['user.yaml']).not.toMatch(/accessKeyID|secretAccessKey/);
  });

  it('probes, protects with a PDB, spreads and places every role', () => {
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      expect(objects.some((o) => o.kind === 'PodDisruptionBudget' && o.metadata.name === d.metadata.name)).toBe(true);
      expect(pod.topologySpreadConstraints.map((t: Obj) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      // A lost zone's nodes (tainted unreachable) must not hold replacement pods Pending.
      expect(pod.topologySpreadConstraints[0].nodeTaintsPolicy).toBe('Honor');
      expect(pod.affinity.nodeAffinity).toBeDefined();
      expect(pod.serviceAccountName).toBe('milvus');
    }
  });

  it('leaves replicas of autoscaled roles to their scaler and fixes the others', () => {
    const autoscaled = renderCluster(EXAMPLES[name]!, APPS)
      .files.filter((f) => f.path.startsWith('autoscaling/'))
      .map((f) => (f.object as Obj).spec.scaleTargetRef.name);
    expect(autoscaled).toContain('milvus-querynode');
    for (const d of deployments) {
      expect(d.spec.replicas === undefined).toBe(autoscaled.includes(d.metadata.name));
    }
  });

  it('binds the milvus and etcd-backup ServiceAccounts to the IRSA roles of its account', () => {
    const account = EXAMPLES[name]!.aws.accountId;
    const arns = objects.filter((o) => o.kind === 'ServiceAccount').map((sa) => sa.metadata.annotations['eks.amazonaws.com/role-arn']);
    expect(arns.sort()).toEqual([`arn:aws:iam::${account}:role/${name}-etcd-backup`, `arn:aws:iam::${account}:role/${name}-milvus`]);
  });
});

describe('specs that cannot work are rejected with their messages', () => {
  const prod = (): ClusterSpec => structuredClone(EXAMPLES['prod-us-east-1']!);
  const staging = (): ClusterSpec => structuredClone(EXAMPLES['staging-eu-west-1']!);

  it('2.6 with index-node sizing', () => {
    const s = prod();
    s.milvus.indexNode = { minReplicas: 1, maxReplicas: 4 };
    expect(validateClusterSpec(s)).toEqual([
      'prod-us-east-1: milvus.indexNode is not used by Milvus 2.6 (data nodes build indexes there); size milvus.dataNode instead',
    ]);
  });

  it('2.5 without a message queue', () => {
    const s = staging();
    delete s.milvus.messageQueue;
    expect(validateClusterSpec(s)).toEqual(['staging-eu-west-1: milvus.messageQueue is required for Milvus 2.5: name an external Kafka or Pulsar']);
  });

  it('a bucket name S3 would refuse', () => {
    const s = prod();
    s.storage = { bucket: 'Acme.Milvus.Prod' };
    expect(validateClusterSpec(s)).toEqual([
      'prod-us-east-1: storage.bucket ("Acme.Milvus.Prod") may hold only lowercase letters, digits and hyphens, and must start and end with a letter or digit',
    ]);
  });

  it('fewer zones than etcd members', () => {
    const s = prod();
    s.aws.availabilityZones = ['us-east-1a', 'us-east-1b'];
    expect(validateClusterSpec(s)).toEqual([
      'prod-us-east-1: aws.availabilityZones has 2 zone(s); 3 are needed, one per etcd member, to survive a zone failure',
    ]);
  });
});
