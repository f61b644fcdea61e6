import { describe, expect, it } from 'vitest';
import { ClusterSpecError, resolveClusterSpec, validateClusterSpec, type ClusterSpec } from '../src/index.js';
import { testClusterSpec } from '../src/testing.js';
import { EXAMPLES } from './examples.js';

/** A valid 2.6 spec (with an ssh:// repository URL); each test breaks one thing in a copy. */
const valid = (): ClusterSpec =>
  testClusterSpec({
    milvus: { queryNode: { minReplicas: 2, maxReplicas: 20 } },
    gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git' },
  });

/** A valid 2.5 spec with Kafka. */
const valid25 = (): ClusterSpec =>
  testClusterSpec({
    name: 'staging-eu-west-1',
    milvus: { version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b-1.kafka.local:9092'] } },
    gitops: { repositoryUrl: 'ssh://git@github.com/acme/milvus-eks-gitops.git' },
  });

function problems(mutate: (s: ClusterSpec) => void, base = valid()): string[] {
  mutate(base);
  return validateClusterSpec(base);
}

describe('validateClusterSpec', () => {
  it('accepts a complete 2.6 spec and a 2.5 spec with Kafka', () => {
    expect(validateClusterSpec(valid())).toEqual([]);
    expect(validateClusterSpec(valid25())).toEqual([]);
  });

  it('rejects query maxReplicas below minReplicas, naming cluster and field', () => {
    expect(problems((s) => (s.milvus.queryNode = { minReplicas: 4, maxReplicas: 2 }))).toEqual([
      'prod-us-east-1: milvus.queryNode.maxReplicas (2) must be >= minReplicas (4)',
    ]);
  });

  it('checks a given maxReplicas against the defaulted minReplicas', () => {
    // The large preset's proxy minimum is 3; only the maximum is given.
    expect(problems((s) => (s.milvus = { version: '2.6.15', size: 'large', proxy: { maxReplicas: 2 } }))).toEqual([
      'prod-us-east-1: milvus.proxy.maxReplicas (2) must be >= minReplicas (3)',
    ]);
  });

  it('rejects a name that is not a DNS label', () => {
    expect(problems((s) => (s.name = 'Prod_US'))).toEqual(['Prod_US: name ("Prod_US") must be a lowercase DNS label (a-z, 0-9, "-")']);
  });

  it('rejects a name too long to prefix IAM role names', () => {
    const name = 'a-very-long-cluster-name-for-production';
    expect(problems((s) => (s.name = name))).toEqual([`${name}: name ("${name}") must be at most 32 characters (it prefixes IAM role names)`]);
  });

  it('rejects an account id that is not 12 digits', () => {
    expect(problems((s) => (s.aws.accountId = '1234'))).toEqual(['prod-us-east-1: aws.accountId ("1234") must be a 12-digit AWS account id']);
  });

  it('rejects a zone outside the region and a zone listed twice', () => {
    expect(problems((s) => (s.aws.availabilityZones = ['us-east-1a', 'us-west-2b', 'us-east-1a']))).toEqual([
      'prod-us-east-1: aws.availabilityZones[1] ("us-west-2b") is not a zone of region us-east-1',
      'prod-us-east-1: aws.availabilityZones[2] ("us-east-1a") is listed twice',
    ]);
  });

  it('accepts an aligned private VPC block of /16 to /20', () => {
    for (const cidr of ['10.10.0.0/16', '172.16.0.0/16', '192.168.16.0/20', '10.255.240.0/20']) expect(problems((s) => (s.aws.vpcCidr = cidr))).toEqual([]);
  });

  it('rejects a VPC block that is not IPv4 CIDR, is outside /16 to /20, has host bits set, or is not private', () => {
    expect(problems((s) => (s.aws.vpcCidr = '10.10.0.0'))).toEqual([
      'prod-us-east-1: aws.vpcCidr ("10.10.0.0") must be an IPv4 CIDR block such as "10.10.0.0/16"',
    ]);
    expect(problems((s) => (s.aws.vpcCidr = '10.256.0.0/16'))).toEqual([
      'prod-us-east-1: aws.vpcCidr ("10.256.0.0/16") must be an IPv4 CIDR block such as "10.10.0.0/16"',
    ]);
    expect(problems((s) => (s.aws.vpcCidr = '10.0.0.0/8'))).toEqual(['prod-us-east-1: aws.vpcCidr ("10.0.0.0/8") must have a prefix between /16 and /20']);
    expect(problems((s) => (s.aws.vpcCidr = '10.0.0.0/24'))).toEqual(['prod-us-east-1: aws.vpcCidr ("10.0.0.0/24") must have a prefix between /16 and /20']);
    expect(problems((s) => (s.aws.vpcCidr = '10.10.1.0/16'))).toEqual([
      'prod-us-east-1: aws.vpcCidr ("10.10.1.0/16") has host bits set: the block is "10.10.0.0/16"',
    ]);
    expect(problems((s) => (s.aws.vpcCidr = '52.10.0.0/16'))).toEqual([
      'prod-us-east-1: aws.vpcCidr ("52.10.0.0/16") must lie in private address space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)',
    ]);
  });

  it('keeps the API endpoint private unless public access CIDRs are listed', () => {
    expect(resolveClusterSpec(valid()).aws).toMatchObject({ endpointPublicAccess: false, publicAccessCidrs: [] });
    const s = valid();
    s.aws.publicAccessCidrs = ['203.0.113.0/24', '198.51.100.7/32'];
    expect(resolveClusterSpec(s).aws).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    s.aws.endpointPublicAccess = true;
    expect(validateClusterSpec(s)).toEqual([]);
  });

  it('requires public access CIDRs for a public endpoint and refuses them for a private one, naming cluster and field', () => {
    expect(problems((s) => (s.aws.endpointPublicAccess = true))).toEqual([
      'prod-us-east-1: aws.publicAccessCidrs is required when aws.endpointPublicAccess is true: list the networks that may reach the public endpoint (nothing defaults to the whole internet)',
    ]);
    const dev = valid();
    dev.environment = 'dev';
    dev.aws.endpointPublicAccess = true;
    expect(validateClusterSpec(dev)).toEqual([
      'prod-us-east-1: aws.publicAccessCidrs is required when aws.endpointPublicAccess is true: list the networks that may reach the public endpoint (nothing defaults to the whole internet)',
    ]);
    expect(problems((s) => Object.assign(s.aws, { endpointPublicAccess: false, publicAccessCidrs: ['203.0.113.0/24'] }))).toEqual([
      'prod-us-east-1: aws.publicAccessCidrs is set but aws.endpointPublicAccess is false: remove the blocks or turn the public endpoint on',
    ]);
  });

  it('rejects malformed or repeated public access CIDRs, and the whole internet for prod only', () => {
    expect(problems((s) => (s.aws.publicAccessCidrs = ['203.0.113.0', '203.0.113.5/24', '198.51.100.0/24', '198.51.100.0/24']))).toEqual([
      'prod-us-east-1: aws.publicAccessCidrs[0] ("203.0.113.0") must be an IPv4 CIDR block such as "203.0.113.0/24"',
      'prod-us-east-1: aws.publicAccessCidrs[1] ("203.0.113.5/24") has host bits set',
      'prod-us-east-1: aws.publicAccessCidrs[3] ("198.51.100.0/24") is listed twice',
    ]);
    expect(problems((s) => (s.aws.publicAccessCidrs = ['0.0.0.0/0']))).toEqual([
      'prod-us-east-1: aws.publicAccessCidrs[0] ("0.0.0.0/0") would open the production API endpoint to the whole internet: list the networks operators come from, or turn aws.endpointPublicAccess off',
    ]);
    const staging = valid();
    staging.environment = 'staging';
    staging.aws.publicAccessCidrs = ['0.0.0.0/0'];
    expect(validateClusterSpec(staging)).toEqual([]);
  });

  it('accepts admin roles of the cluster account, with or without a path', () => {
    expect(
      problems(
        (s) => (s.aws.adminRoleArns = ['arn:aws:iam::111122223333:role/platform-admin', 'arn:aws:iam::111122223333:role/sso/AWSReservedSSO_Admin_0123']),
      ),
    ).toEqual([]);
  });

  it('rejects admin role ARNs that are not roles, are of another account, or are listed twice', () => {
    expect(
      problems(
        (s) =>
          (s.aws.adminRoleArns = [
            'arn:aws:iam::111122223333:user/alice',
            'platform-admin',
            'arn:aws:iam::999988887777:role/platform-admin',
            'arn:aws:iam::111122223333:role/ops',
            'arn:aws:iam::111122223333:role/ops',
          ]),
      ),
    ).toEqual([
      'prod-us-east-1: aws.adminRoleArns[0] ("arn:aws:iam::111122223333:user/alice") must be an IAM role ARN such as "arn:aws:iam::111122223333:role/<name>"',
      'prod-us-east-1: aws.adminRoleArns[1] ("platform-admin") must be an IAM role ARN such as "arn:aws:iam::111122223333:role/<name>"',
      'prod-us-east-1: aws.adminRoleArns[2] ("arn:aws:iam::999988887777:role/platform-admin") is a role of account 999988887777; only roles of the cluster\'s account (aws.accountId 111122223333) may administer it',
      'prod-us-east-1: aws.adminRoleArns[4] ("arn:aws:iam::111122223333:role/ops") is listed twice',
    ]);
    expect(problems((s) => ((s.aws as unknown as Record<string, unknown>).adminRoleArns = 'arn:aws:iam::111122223333:role/ops'))).toEqual([
      'prod-us-east-1: aws.adminRoleArns must be a list of IAM role ARNs, got "arn:aws:iam::111122223333:role/ops"',
    ]);
  });

  it('rejects fewer zones than etcd members', () => {
    expect(problems((s) => (s.aws.availabilityZones = ['us-east-1a', 'us-east-1b']))).toEqual([
      'prod-us-east-1: aws.availabilityZones has 2 zone(s); 3 are needed, one per etcd member, to survive a zone failure',
    ]);
  });

  it('rejects a Kubernetes version outside the supported minors', () => {
    expect(problems((s) => ((s.kubernetes as { version: string }).version = '1.27'))).toEqual([
      'prod-us-east-1: kubernetes.version ("1.27") must be one of "1.29", "1.30", "1.31", "1.32", "1.33", "1.34"',
    ]);
  });

  it('rejects a Milvus version that is not an exact release or not a known minor', () => {
    expect(problems((s) => (s.milvus.version = '2.6'))).toEqual(['prod-us-east-1: milvus.version ("2.6") must be an exact release such as "2.6.15"']);
    expect(problems((s) => (s.milvus.version = '2.4.9'))).toEqual(['prod-us-east-1: milvus.version ("2.4.9") is not a supported minor; supported: 2.5, 2.6']);
  });

  it('rejects Milvus 2.5 without a message queue', () => {
    expect(problems((s) => delete s.milvus.messageQueue, valid25())).toEqual([
      'staging-eu-west-1: milvus.messageQueue is required for Milvus 2.5: name an external Kafka or Pulsar',
    ]);
  });

  it('rejects Woodpecker on Milvus 2.5', () => {
    expect(problems((s) => (s.milvus.messageQueue = { type: 'woodpecker' }), valid25())).toEqual([
      'staging-eu-west-1: milvus.messageQueue.type ("woodpecker") requires Milvus 2.6; Milvus 2.5 needs Kafka or Pulsar',
    ]);
  });

  it('rejects Woodpecker in service mode until its StatefulSet is rendered', () => {
    expect(problems((s) => (s.milvus.messageQueue = { type: 'woodpecker', mode: 'service' }))).toEqual([
      'prod-us-east-1: milvus.messageQueue.mode ("service") is not supported yet; use "embedded" (Woodpecker inside the streaming nodes)',
    ]);
  });

  it('rejects index-node sizing on Milvus 2.6 and streaming nodes on 2.5', () => {
    expect(problems((s) => (s.milvus.indexNode = { maxReplicas: 4 }))).toEqual([
      'prod-us-east-1: milvus.indexNode is not used by Milvus 2.6 (data nodes build indexes there); size milvus.dataNode instead',
    ]);
    expect(problems((s) => (s.milvus.streamingNode = { replicas: 2 }), valid25())).toEqual([
      'staging-eu-west-1: milvus.streamingNode requires Milvus 2.6; Milvus 2.5 has no streaming nodes',
    ]);
  });

  it('rejects a Kafka queue without brokers or with a broker lacking a port', () => {
    expect(problems((s) => (s.milvus.messageQueue = { type: 'kafka', brokers: [] }), valid25())).toEqual([
      'staging-eu-west-1: milvus.messageQueue.brokers must list at least one broker as host:port',
    ]);
    expect(problems((s) => (s.milvus.messageQueue = { type: 'kafka', brokers: ['kafka.local'] }), valid25())).toEqual([
      'staging-eu-west-1: milvus.messageQueue.brokers[0] ("kafka.local") must be host:port',
    ]);
  });

  it('rejects bucket names S3 would refuse', () => {
    expect(problems((s) => (s.storage = { bucket: 'Acme_Milvus' }))).toEqual([
      'prod-us-east-1: storage.bucket ("Acme_Milvus") may hold only lowercase letters, digits and hyphens, and must start and end with a letter or digit',
    ]);
    expect(problems((s) => (s.storage = { bucket: 'ab' }))).toEqual(['prod-us-east-1: storage.bucket ("ab") must be 3 to 63 characters long (has 2)']);
    expect(problems((s) => (s.storage = { bucket: 'xn--milvus' }))).toEqual([
      'prod-us-east-1: storage.bucket ("xn--milvus") must not start with a prefix S3 reserves (xn--, sthree-)',
    ]);
  });

  it('rejects limits below requests and values that are not quantities', () => {
    expect(problems((s) => (s.milvus.queryNode = { resources: { requests: { memory: '32Gi' }, limits: { memory: '16Gi' } } }))).toEqual([
      'prod-us-east-1: milvus.queryNode.resources.limits.memory (16Gi) must be >= requests.memory (32Gi)',
    ]);
    expect(problems((s) => (s.milvus.dataNode = { resources: { requests: { cpu: 'two' } } }))).toEqual([
      'prod-us-east-1: milvus.dataNode.resources.requests.cpu ("two") is not a Kubernetes quantity',
    ]);
  });

  it('rejects an HPA latency target at or above the alerting SLO', () => {
    expect(problems((s) => (s.autoscaling = { queryNode: { p99LatencyMs: 250 } }))).toEqual([
      'prod-us-east-1: autoscaling.queryNode.p99LatencyMs (250) must be below monitoring.searchLatencySloMs (200): scale out before the SLO alert fires',
    ]);
  });

  it('rejects scale to zero on 2.6, where data nodes also compact', () => {
    expect(problems((s) => (s.autoscaling = { indexBuild: { scaleToZero: true } }))).toEqual([
      'prod-us-east-1: autoscaling.indexBuild.scaleToZero requires Milvus 2.5 (index nodes); on 2.6 data nodes also compact and must keep running',
    ]);
  });

  it('rejects a node class limit that cannot hold its roles at maximum replicas', () => {
    expect(problems((s) => (s.nodes.limits = { query: { cpu: 40, memoryGi: 4000 } }))).toEqual([
      'prod-us-east-1: nodes.limits.query (40 vCPU, 4000 GiB) cannot hold proxy, mixcoord, querynode, streamingnode at maximum replicas (79 vCPU, 538 GiB requested): raise the limit or lower the replicas',
    ]);
  });

  it('rejects etcd snapshots that reach back further than S3 keeps deleted segment files', () => {
    expect(
      problems((s) => {
        s.milvus.etcd = { snapshotsRetained: 72 };
        s.storage = { ...s.storage, noncurrentVersionDays: 2 };
      }),
    ).toEqual([
      'prod-us-east-1: milvus.etcd.snapshotsRetained (72 snapshots, 3.0 days) outlives storage.noncurrentVersionDays (2): a restore from the oldest snapshot would name segment files S3 no longer keeps; keep fewer snapshots or raise storage.noncurrentVersionDays',
    ]);
    expect(
      problems((s) => {
        s.milvus.etcd = { snapshotsRetained: 72 };
        s.storage = { ...s.storage, noncurrentVersionDays: 3 };
      }),
    ).toEqual([]);
  });

  it('rejects a snapshot schedule without a fixed interval, whose reach cannot be known', () => {
    expect(problems((s) => (s.milvus.etcd = { snapshotSchedule: '0 9 * * 1' }))).toEqual([
      'prod-us-east-1: milvus.etcd.snapshotSchedule ("0 9 * * 1") must run at a fixed interval (every N minutes, hours or days), so the time the snapshots cover is known',
    ]);
  });

  it('takes acknowledged risks only by a known id and with a reason', () => {
    expect(problems((s) => (s.acknowledgedRisks = { 'message-queue-change': 'WAL drained and Kafka retired' }))).toEqual([]);
    expect(problems((s) => (s.acknowledgedRisks = { 'mq-change': 'WAL drained and Kafka retired', 'prod-change': 'ok' } as never))).toEqual([
      expect.stringMatching(/^prod-us-east-1: acknowledgedRisks\.mq-change is not a known field/),
      'prod-us-east-1: acknowledgedRisks.prod-change must say, in a sentence, why the change is safe',
    ]);
  });

  it('rejects utilization targets outside 1..100', () => {
    expect(problems((s) => (s.autoscaling = { queryNode: { cpuUtilization: 0, memoryUtilization: 120 } }))).toEqual([
      'prod-us-east-1: autoscaling.queryNode.cpuUtilization (0) must be between 1 and 100',
      'prod-us-east-1: autoscaling.queryNode.memoryUtilization (120) must be between 1 and 100',
    ]);
  });

  it('reports unknown fields with the nearest known one', () => {
    expect(problems((s) => Object.assign(s.milvus, { queryNodes: { maxReplicas: 10 } }))).toEqual([
      'prod-us-east-1: milvus.queryNodes is not a known field (did you mean queryNode?)',
    ]);
  });

  it('suggests the value meant for a misspelt enum value, and names the kinds of a union by their type', () => {
    expect(problems((s) => (s.milvus.messageQueue = { type: 'woodpecker', mode: 'embeded' as 'embedded' }))).toEqual([
      'prod-us-east-1: milvus.messageQueue.mode ("embeded") must be one of "embedded", "service" (did you mean "embedded"?)',
    ]);
    expect(problems((s) => (s.milvus.messageQueue = { type: 'rabbitmq' } as never))).toEqual([
      'prod-us-east-1: milvus.messageQueue.type ("rabbitmq") must be one of "woodpecker", "kafka", "pulsar"',
    ]);
    expect(problems((s) => (s.milvus.messageQueue = { type: 'woodpecker', brokers: ['b:9092'] } as never))).toEqual([
      'prod-us-east-1: milvus.messageQueue.brokers is not a known field',
    ]);
  });

  it('makes a prod cluster on Karpenter pin its AMI release, lets others follow latest, and refuses it where nothing reads it', () => {
    expect(problems((s) => (s.nodes.amiVersion = 'latest'))).toEqual([
      'prod-us-east-1: nodes.amiVersion ("latest") must pin an AMI release in prod (a release tag of awslabs/amazon-eks-ami such as "v20260724", tried on a non-prod Karpenter cluster first): "latest" drifts every Karpenter node of the cluster onto each AMI AWS publishes',
    ]);
    expect(problems((s) => delete s.nodes.amiVersion)).toHaveLength(1);
    expect(problems((s) => Object.assign(s, { environment: 'staging', nodes: { provisioner: 'karpenter' } }))).toEqual([]);
    expect(problems((s) => (s.nodes = { provisioner: 'cluster-autoscaler' }))).toEqual([]);
    expect(problems((s) => (s.nodes = { provisioner: 'cluster-autoscaler', amiVersion: 'v20260724' }))).toEqual([
      'prod-us-east-1: nodes.amiVersion applies to the nodes Karpenter launches; the node groups of a Cluster Autoscaler cluster keep the release EKS gave them: leave it out',
    ]);
    expect(problems((s) => (s.nodes.amiVersion = '2026-07-24'))).toEqual([
      'prod-us-east-1: nodes.amiVersion ("2026-07-24") must be "latest" or a release tag of awslabs/amazon-eks-ami such as "v20260724"',
    ]);
  });

  it('reports wrong types, missing fields and bounds from the declaration, each field once', () => {
    expect(
      problems((s) => {
        Object.assign(s, { name: '', nodes: { provisioner: 'karpenter', amiVersion: 'v20260724', limits: { query: { cpu: '8' } } } });
        Object.assign(s.milvus, { mixCoord: { replicas: 3 }, queryNode: { resources: { requests: { cpu: 2 } } } });
        Object.assign(s.aws, { availabilityZones: 'us-east-1a' });
      }),
    ).toEqual([
      '<unnamed>: name must not be empty',
      '<unnamed>: aws.availabilityZones must be a list of zone names, got "us-east-1a"',
      '<unnamed>: milvus.mixCoord.replicas (3) must be between 1 and 2',
      '<unnamed>: milvus.queryNode.resources.requests.cpu must be a string, got 2',
      '<unnamed>: nodes.limits.query.cpu must be a number, got "8"',
      '<unnamed>: nodes.limits.query.memoryGi is required',
    ]);
  });

  it('rejects an unknown provisioner and a repository URL Flux cannot clone', () => {
    expect(
      problems((s) => {
        (s.nodes as { provisioner: string }).provisioner = 'fargate';
        s.gitops.repositoryUrl = 'github.com/acme/repo';
      }),
    ).toEqual([
      'prod-us-east-1: nodes.provisioner ("fargate") must be one of "karpenter", "cluster-autoscaler"',
      'prod-us-east-1: gitops.repositoryUrl ("github.com/acme/repo") must be an ssh:// or https:// repository URL',
    ]);
  });

  it('rejects wrong types and missing required sections', () => {
    const bad = valid() as unknown as Record<string, unknown>;
    delete bad.kubernetes;
    (bad.milvus as Record<string, unknown>).queryNode = { minReplicas: '2' };
    expect(validateClusterSpec(bad as unknown as ClusterSpec)).toEqual([
      'prod-us-east-1: kubernetes is required',
      'prod-us-east-1: milvus.queryNode.minReplicas must be an integer, got "2"',
    ]);
  });

  it('requires a declared path to MSK brokers, in the cluster region, over exactly one of peering or transit gateway', () => {
    const msk = 'b-1.shared.abc123.c4.kafka.us-east-1.amazonaws.com:9092';
    const kafka =
      (network?: unknown, brokers = [msk]) =>
      (s: ClusterSpec) => {
        s.aws.vpcCidr = '10.10.0.0/16';
        s.milvus.messageQueue = { type: 'kafka', brokers, ...(network === undefined ? {} : { network }) } as ClusterSpec['milvus']['messageQueue'];
      };
    expect(problems(kafka())).toEqual([
      'prod-us-east-1: milvus.messageQueue.network is required for MSK brokers, which live in a VPC of their own: give its cidr and the vpcPeeringConnectionId or transitGatewayId that reaches it',
    ]);
    // A self-managed Kafka reachable some other way needs none.
    expect(problems(kafka(undefined, ['kafka-0.kafka.internal:9092']))).toEqual([]);
    expect(problems(kafka({ cidr: '10.200.0.0/16', vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f67890' }))).toEqual([]);
    expect(problems(kafka({ cidr: '10.200.0.0/16', transitGatewayId: 'tgw-0123456789abcdef0' }))).toEqual([]);
    expect(problems(kafka({ cidr: '10.200.0.0/16', vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f67890', transitGatewayId: 'tgw-0123456789abcdef0' }))).toEqual([
      'prod-us-east-1: milvus.messageQueue.network needs exactly one of vpcPeeringConnectionId, transitGatewayId (has both)',
    ]);
    expect(problems(kafka({ cidr: '10.10.128.0/17', vpcPeeringConnectionId: 'peer-1' }))).toEqual([
      'prod-us-east-1: milvus.messageQueue.network.cidr ("10.10.128.0/17") overlaps aws.vpcCidr (10.10.0.0/16): a route to it would shadow the cluster\'s own addresses',
      'prod-us-east-1: milvus.messageQueue.network.vpcPeeringConnectionId ("peer-1") must be a VPC peering connection id (pcx-...)',
    ]);
    expect(
      problems(kafka({ cidr: '10.200.0.0/16', vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f67890' }, ['b-1.shared.abc123.c4.kafka.eu-west-1.amazonaws.com:9092'])),
    ).toEqual([
      'prod-us-east-1: milvus.messageQueue.brokers[0] ("b-1.shared.abc123.c4.kafka.eu-west-1.amazonaws.com:9092") is an MSK broker in eu-west-1, the cluster is in us-east-1: keep the WAL in the cluster\'s region',
    ]);
  });

  it('checks the etcd snapshot bucket and its replica region', () => {
    expect(problems((s) => (s.storage = { bucket: 'acme-milvus', etcdBackupBucket: 'acme-milvus' }))).toEqual([
      'prod-us-east-1: storage.etcdBackupBucket ("acme-milvus") must differ from storage.bucket: Milvus\' role must not reach the snapshots',
    ]);
    expect(problems((s) => (s.storage = { bucket: 'a'.repeat(60) }))).toEqual([
      `prod-us-east-1: storage.etcdBackupBucket ("${'a'.repeat(60)}-backups") must be 3 to 63 characters long (has 68) (derived from storage.bucket: set storage.etcdBackupBucket)`,
    ]);
    expect(problems((s) => (s.storage = { etcdBackupReplicaRegion: 'us-east-1' }))).toEqual([
      'prod-us-east-1: storage.etcdBackupReplicaRegion ("us-east-1") must differ from aws.region: a replica in the same region survives no regional outage',
    ]);
    expect(problems((s) => (s.storage = { etcdBackupReplicaRegion: 'west' }))).toEqual([
      'prod-us-east-1: storage.etcdBackupReplicaRegion ("west") must be an AWS region such as "us-west-2"',
    ]);
    expect(problems((s) => (s.storage = { etcdBackupBucket: `b${'a'.repeat(56)}`, etcdBackupReplicaRegion: 'us-west-2' }))).toEqual([
      `prod-us-east-1: storage.etcdBackupReplicaRegion needs the replica bucket "b${'a'.repeat(56)}-replica", which must be 3 to 63 characters long (has 65): set a shorter storage.etcdBackupBucket`,
    ]);
    expect(problems((s) => (s.storage = { etcdBackupBucket: 'acme-snapshots', etcdBackupReplicaRegion: 'us-west-2' }))).toEqual([]);
  });

  it('lists every problem of a spec with several, not just the first', () => {
    const list = problems((s) => {
      s.aws.accountId = 'x';
      s.milvus.queryNode = { minReplicas: 0 };
      s.storage = { bucket: 'A' };
      (s as { environment: string }).environment = 'production';
    });
    expect(list).toHaveLength(4);
    expect(list.every((p) => p.startsWith('prod-us-east-1: '))).toBe(true);
  });
});

describe('resolveClusterSpec', () => {
  it('throws a ClusterSpecError carrying every problem', () => {
    const s = valid();
    s.milvus.queryNode = { minReplicas: 4, maxReplicas: 2 };
    s.aws.accountId = '1';
    let error: unknown;
    try {
      resolveClusterSpec(s);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ClusterSpecError);
    expect((error as ClusterSpecError).cluster).toBe('prod-us-east-1');
    expect((error as ClusterSpecError).problems).toHaveLength(2);
  });

  it('applies defaults in one place: 2.6 gets Woodpecker and streaming nodes, no index nodes', () => {
    const r = resolveClusterSpec(valid());
    expect(r.milvus.minor).toBe('2.6');
    expect(r.milvus.image).toBe('milvusdb/milvus:v2.6.15');
    expect(r.milvus.messageQueue).toEqual({ type: 'woodpecker', mode: 'embedded' });
    expect(r.milvus.streamingNode?.replicas).toBe(2);
    expect(r.milvus.indexNode).toBeUndefined();
    expect(r.storage).toEqual({
      bucket: 'milvus-prod-us-east-1-111122223333',
      rootPath: 'prod-us-east-1',
      etcdBackupBucket: 'milvus-prod-us-east-1-111122223333-backups',
      etcdBackupPrefix: 'etcd-backups/prod-us-east-1',
      noncurrentVersionDays: 30,
    });
    expect(r.autoscaling.queryNode).toEqual({ cpuUtilization: 70, memoryUtilization: 75, queueDepthPerPod: 8, p99LatencyMs: 150 });
    expect(r.gitops.branch).toBe('rendered');
    // No cluster administrators unless the spec names them.
    expect(r.aws.adminRoleArns).toEqual([]);
  });

  it('keeps given resources and fills the rest from the size preset', () => {
    const s = valid();
    s.milvus.queryNode = { resources: { requests: { memory: '12Gi' }, limits: { memory: '12Gi' } } };
    const r = resolveClusterSpec(s);
    expect(r.milvus.queryNode.resources).toEqual({
      requests: { cpu: '3500m', memory: '12Gi' },
      limits: { cpu: '3500m', memory: '12Gi' },
    });
  });

  it('uses the small preset for dev clusters and index nodes on 2.5', () => {
    const s = valid25();
    s.environment = 'dev';
    const r = resolveClusterSpec(s);
    expect(r.milvus.size).toBe('small');
    expect(r.milvus.indexNode).toEqual({ minReplicas: 1, maxReplicas: 2, resources: expect.any(Object) });
    expect(r.milvus.streamingNode).toBeUndefined();
    expect(r.milvus.messageQueue).toEqual({ type: 'kafka', brokers: ['b-1.kafka.local:9092'] });
  });
});

describe('validateClusterSpec on malformed input', () => {
  /** Every path to a value in `v`. */
  const paths = (v: unknown, at: (string | number)[] = []): (string | number)[][] =>
    Array.isArray(v)
      ? [at, ...v.flatMap((x, i) => paths(x, [...at, i]))]
      : typeof v === 'object' && v !== null
        ? [at, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))]
        : [at];

  it('reports, never throws, whatever any field of the example clusters is replaced with', () => {
    const failures: string[] = [];
    for (const [, example] of EXAMPLES) {
      for (const path of paths(example).filter((p) => p.length > 0)) {
        for (const bad of [undefined, null, 42, 2.5, -1, '', 'x', [], {}, true, ['x']]) {
          const spec = structuredClone(example) as any;
          let parent = spec;
          for (const key of path.slice(0, -1)) parent = parent[key];
          parent[path.at(-1)!] = bad;
          try {
            const found = validateClusterSpec(spec);
            if (found.some((m) => m.includes('could not be resolved'))) failures.push(`${path.join('.')} = ${JSON.stringify(bad)}: ${found.join(' | ')}`);
          } catch (e) {
            failures.push(`${path.join('.')} = ${JSON.stringify(bad)}: throws ${(e as Error).message}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
