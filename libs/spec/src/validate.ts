// Runtime validation of a ClusterSpec. Every problem is collected (never just the first), each as
// one sentence naming the cluster and the field path: `prod-us-east-1: milvus.queryNode.maxReplicas
// (2) must be >= minReplicas (4)`. Specs come from TypeScript, but also from reviews of data edits,
// so types are re-checked here too.

import { cronIntervalSeconds, snapshotWindowSeconds } from './retention.js';
import { applyDefaults, milvusMinorOf } from './defaults.js';
import { parseQuantity } from './quantity.js';
import { MILVUS_ROLE_NODE_CLASS, NODE_CLASSES, type NodeClass } from './placement.js';
import { MILVUS_ROLE_NAMES, MILVUS_ROLES, resolvedMilvusRoles } from './roles.js';
import type { ClusterSpec, MilvusMinor, ResolvedClusterSpec, ResolvedFixedRole, ResolvedScalableRole } from './types.js';
import { KUBERNETES_VERSIONS, MILVUS_MINORS } from './versions.js';
import { RISK_IDS } from './risks.js';

/** Thrown by `resolveClusterSpec` with every problem of the spec. */
export class ClusterSpecError extends Error {
  /** One line per problem, each starting with `<cluster>: <field path>`. */
  readonly problems: readonly string[];
  /** The cluster name as given (or `<unnamed>`). */
  readonly cluster: string;

  constructor(cluster: string, problems: readonly string[]) {
    super(`cluster spec ${cluster} has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    this.name = 'ClusterSpecError';
    this.cluster = cluster;
    this.problems = problems;
  }
}

/** A lowercase DNS label (RFC 1123): what cluster names, namespaces and Secret names must be. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest cluster name: it prefixes IAM role names (64 characters at most) and EventBridge rule names. */
const MAX_CLUSTER_NAME = 32;
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
const CRON_FIELD = /^(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(\/[0-9]+)?)*$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : (JSON.stringify(v) ?? String(v)));

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** Collects problems for one cluster. */
class Problems {
  readonly list: string[] = [];
  constructor(private readonly cluster: string) {}

  add(path: string, message: string): void {
    this.list.push(`${this.cluster}: ${path} ${message}`);
  }

  /** Reports keys of `value` that the spec type does not have, with the nearest known key. */
  knownKeys(value: unknown, path: string, allowed: readonly string[]): void {
    if (!isObj(value)) return;
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const near = allowed.filter((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
      const at = path ? `${path}.${key}` : key;
      this.add(at, `is not a known field${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`);
    }
  }

  /** A required object; returns whether it is one. */
  object(value: unknown, path: string, required = true): value is Obj {
    if (value === undefined && !required) return false;
    if (!isObj(value)) {
      this.add(path, value === undefined ? 'is required' : `must be an object, got ${show(value)}`);
      return false;
    }
    return true;
  }

  int(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.add(path, value === undefined ? 'is required' : `must be an integer, got ${show(value)}`);
      return false;
    }
    if (value < min || value > max) {
      this.add(path, max === Number.MAX_SAFE_INTEGER ? `(${value}) must be >= ${min}` : `(${value}) must be between ${min} and ${max}`);
      return false;
    }
    return true;
  }

  number(value: unknown, path: string, test: (n: number) => boolean, rule: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.add(path, `must be a number, got ${show(value)}`);
    else if (!test(value)) this.add(path, `(${value}) must be ${rule}`);
  }

  bool(value: unknown, path: string): void {
    if (typeof value !== 'boolean') this.add(path, `must be true or false, got ${show(value)}`);
  }

  string(value: unknown, path: string): value is string {
    if (typeof value !== 'string' || value === '') {
      this.add(path, value === undefined || value === '' ? 'is required' : `must be a string, got ${show(value)}`);
      return false;
    }
    return true;
  }

  matches(value: unknown, path: string, re: RegExp, what: string): boolean {
    if (!this.string(value, path)) return false;
    if (re.test(value)) return true;
    this.add(path, `(${show(value)}) must be ${what}`);
    return false;
  }

  oneOf<T>(value: unknown, path: string, allowed: readonly T[]): void {
    if (!allowed.includes(value as T)) {
      this.add(path, `(${show(value)}) must be one of ${allowed.map((a) => show(a)).join(', ')}`);
    }
  }
}

const ROLE_KEYS = {
  scalable: ['minReplicas', 'maxReplicas', 'resources'],
  fixed: ['replicas', 'resources'],
} as const;

function checkResources(p: Problems, given: unknown, resolved: ResolvedScalableRole['resources'], path: string): void {
  if (given !== undefined && p.object(given, `${path}.resources`)) {
    p.knownKeys(given, `${path}.resources`, ['requests', 'limits']);
    for (const side of ['requests', 'limits'] as const) {
      if (given[side] !== undefined && p.object(given[side], `${path}.resources.${side}`)) {
        p.knownKeys(given[side], `${path}.resources.${side}`, ['cpu', 'memory']);
      }
    }
  }
  for (const r of ['cpu', 'memory'] as const) {
    const req = parseQuantity(resolved.requests[r]);
    const lim = parseQuantity(resolved.limits[r]);
    if (req === undefined) p.add(`${path}.resources.requests.${r}`, `(${show(resolved.requests[r])}) is not a Kubernetes quantity`);
    if (lim === undefined) p.add(`${path}.resources.limits.${r}`, `(${show(resolved.limits[r])}) is not a Kubernetes quantity`);
    if (req !== undefined && lim !== undefined && lim < req) {
      p.add(`${path}.resources.limits.${r}`, `(${resolved.limits[r]}) must be >= requests.${r} (${resolved.requests[r]})`);
    }
  }
}

function checkScalable(p: Problems, given: unknown, role: ResolvedScalableRole, path: string): void {
  if (given !== undefined && !p.object(given, path)) return;
  p.knownKeys(given, path, ROLE_KEYS.scalable);
  const minOk = p.int(role.minReplicas, `${path}.minReplicas`, 1);
  const maxOk = p.int(role.maxReplicas, `${path}.maxReplicas`, 1);
  if (minOk && maxOk && role.maxReplicas < role.minReplicas) {
    p.add(`${path}.maxReplicas`, `(${role.maxReplicas}) must be >= minReplicas (${role.minReplicas})`);
  }
  checkResources(p, isObj(given) ? given.resources : undefined, role.resources, path);
}

function checkFixed(p: Problems, given: unknown, role: ResolvedFixedRole, path: string, max: number): void {
  if (given !== undefined && !p.object(given, path)) return;
  p.knownKeys(given, path, ROLE_KEYS.fixed);
  p.int(role.replicas, `${path}.replicas`, 1, max);
  checkResources(p, isObj(given) ? given.resources : undefined, role.resources, path);
}

/** S3 general purpose bucket naming rules, plus no dots (they break TLS on virtual-hosted addressing). */
/** An AWS region name (us-east-1, eu-west-1, us-gov-west-1). */
const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-[0-9]$/;

/** MSK's broker host names: `b-1.<cluster>.<id>.c<n>.kafka.<region>.amazonaws.com`. */
const MSK_BROKER = /\.kafka\.([a-z]{2}(?:-gov)?-[a-z]+-[0-9])\.amazonaws\.com:[0-9]+$/;

/**
 * The path to an external Kafka: MSK brokers are in another VPC, so the spec must say how this one
 * reaches it (peering or transit gateway, with the Kafka VPC's block), in the cluster's region.
 */
function checkKafkaPath(p: Problems, mq: Obj, r: ResolvedClusterSpec): void {
  const brokers = Array.isArray(mq.brokers) ? (mq.brokers as unknown[]).filter((b): b is string => typeof b === 'string') : [];
  const region = r.aws.region;
  brokers.forEach((b, i) => {
    const msk = MSK_BROKER.exec(b);
    if (msk && typeof region === 'string' && msk[1] !== region) {
      p.add(
        `milvus.messageQueue.brokers[${i}]`,
        `(${show(b)}) is an MSK broker in ${msk[1]}, the cluster is in ${region}: keep the WAL in the cluster's region`,
      );
    }
  });
  if (mq.network === undefined) {
    if (brokers.some((b) => MSK_BROKER.test(b))) {
      p.add(
        'milvus.messageQueue.network',
        'is required for MSK brokers, which live in a VPC of their own: give its cidr and the vpcPeeringConnectionId or transitGatewayId that reaches it',
      );
    }
    return;
  }
  if (!p.object(mq.network, 'milvus.messageQueue.network')) return;
  const net = mq.network;
  p.knownKeys(net, 'milvus.messageQueue.network', ['cidr', 'vpcPeeringConnectionId', 'transitGatewayId']);
  const block = typeof net.cidr === 'string' ? parseIpv4Cidr(net.cidr) : undefined;
  if (!block) p.add('milvus.messageQueue.network.cidr', `(${show(net.cidr)}) must be an IPv4 CIDR block such as "10.50.0.0/16"`);
  else {
    const own = typeof r.aws.vpcCidr === 'string' ? parseIpv4Cidr(r.aws.vpcCidr) : undefined;
    if (own && ipv4Overlap(block, own))
      p.add(
        'milvus.messageQueue.network.cidr',
        `(${show(net.cidr)}) overlaps aws.vpcCidr (${r.aws.vpcCidr}): a route to it would shadow the cluster's own addresses`,
      );
  }
  const via = ['vpcPeeringConnectionId', 'transitGatewayId'].filter((k) => net[k] !== undefined);
  if (via.length !== 1)
    p.add('milvus.messageQueue.network', `needs exactly one of vpcPeeringConnectionId, transitGatewayId (has ${via.length === 0 ? 'neither' : 'both'})`);
  if (net.vpcPeeringConnectionId !== undefined)
    p.matches(
      net.vpcPeeringConnectionId,
      'milvus.messageQueue.network.vpcPeeringConnectionId',
      /^pcx-[0-9a-f]{8,17}$/,
      'a VPC peering connection id (pcx-...)',
    );
  if (net.transitGatewayId !== undefined)
    p.matches(net.transitGatewayId, 'milvus.messageQueue.network.transitGatewayId', /^tgw-[0-9a-f]{8,17}$/, 'a transit gateway id (tgw-...)');
}

function bucketProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return `must be 3 to 63 characters long (has ${bucket.length})`;
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(bucket)) {
    return 'may hold only lowercase letters, digits and hyphens, and must start and end with a letter or digit';
  }
  if (bucket.startsWith('xn--') || bucket.startsWith('sthree-')) return 'must not start with a prefix S3 reserves (xn--, sthree-)';
  if (bucket.endsWith('-s3alias') || bucket.endsWith('--ol-s3')) return 'must not end with a suffix S3 reserves (-s3alias, --ol-s3)';
  return undefined;
}

/**
 * An IAM role ARN: `arn:aws:iam::<12 digits>:role/<path/><name>` (IAM names: letters, digits and
 * `+=,.@_-`; EKS access entries accept a role with a path, docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html).
 */
const ROLE_ARN = /^arn:aws:iam::([0-9]{12}):role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

function checkAdminRoleArns(p: Problems, aws: Obj): void {
  const arns = aws.adminRoleArns;
  if (arns === undefined) return;
  if (!Array.isArray(arns)) {
    p.add('aws.adminRoleArns', `must be a list of IAM role ARNs, got ${show(arns)}`);
    return;
  }
  const seen = new Set<string>();
  arns.forEach((arn, i) => {
    const path = `aws.adminRoleArns[${i}]`;
    if (!p.string(arn, path)) return;
    const m = ROLE_ARN.exec(arn);
    if (!m) {
      p.add(
        path,
        `(${show(arn)}) must be an IAM role ARN such as "arn:aws:iam::${typeof aws.accountId === 'string' ? aws.accountId : '<accountId>'}:role/<name>"`,
      );
      return;
    }
    if (typeof aws.accountId === 'string' && m[1] !== aws.accountId) {
      p.add(path, `(${show(arn)}) is a role of account ${m[1]}; only roles of the cluster's account (aws.accountId ${aws.accountId}) may administer it`);
    }
    if (seen.has(arn)) p.add(path, `(${show(arn)}) is listed twice`);
    seen.add(arn);
  });
}

/** An IPv4 CIDR block as numbers: `first` is the network address as an unsigned 32-bit integer. */
export interface Ipv4Block {
  readonly first: number;
  readonly prefix: number;
  /** Addresses in the block (2^(32 - prefix)). */
  readonly size: number;
}

/** Parses `a.b.c.d/n`; undefined unless four octets 0-255 and a prefix 0-32 (host bits may be set). */
export function parseIpv4Cidr(cidr: string): Ipv4Block | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const first = octets.reduce((a, o) => a * 256 + o, 0);
  return { first, prefix, size: 2 ** (32 - prefix) };
}

/** Whether two blocks share an address. */
export function ipv4Overlap(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.first < b.first + b.size && b.first < a.first + a.size;
}

/** RFC 1918 private address space (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html recommends it for VPCs). */
const RFC1918 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseIpv4Cidr(c)!);

/**
 * `aws.vpcCidr`: an aligned private IPv4 block of /16 to /20. AWS allows /16 to /28 for a VPC
 * (docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html); below /20 the per-zone private
 * subnets (one eighth each) would hold too few addresses for nodes and pods under the VPC CNI, which
 * gives every pod a VPC address. The provider rejects a block whose host bits are set
 * (aws_vpc cidr_block must be a network address).
 */
function checkVpcCidr(p: Problems, value: unknown): void {
  if (value === undefined) return;
  if (!p.string(value, 'aws.vpcCidr')) return;
  const block = parseIpv4Cidr(value);
  if (!block) {
    p.add('aws.vpcCidr', `(${show(value)}) must be an IPv4 CIDR block such as "10.10.0.0/16"`);
    return;
  }
  if (block.prefix < 16 || block.prefix > 20) {
    p.add('aws.vpcCidr', `(${show(value)}) must have a prefix between /16 and /20`);
    return;
  }
  if (block.first % block.size !== 0) {
    const aligned = block.first - (block.first % block.size);
    const dotted = [24, 16, 8, 0].map((s) => Math.floor(aligned / 2 ** s) % 256).join('.');
    p.add('aws.vpcCidr', `(${show(value)}) has host bits set: the block is "${dotted}/${block.prefix}"`);
    return;
  }
  if (!RFC1918.some((r) => block.first >= r.first && block.first + block.size <= r.first + r.size)) {
    p.add('aws.vpcCidr', `(${show(value)}) must lie in private address space (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)`);
  }
}

/**
 * The API endpoints: `aws.publicAccessCidrs` must be aligned IPv4 blocks, and a public endpoint
 * must name them (EKS itself defaults public_access_cidrs to 0.0.0.0/0,
 * docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html); production never admits the
 * whole internet. EKS accepts at most 40 public access CIDR blocks per cluster.
 */
function checkEndpointAccess(p: Problems, aws: Obj, environment: unknown): void {
  const pub = aws.endpointPublicAccess;
  if (pub !== undefined) p.bool(pub, 'aws.endpointPublicAccess');
  const cidrs = aws.publicAccessCidrs;
  if (cidrs !== undefined && !Array.isArray(cidrs)) {
    p.add('aws.publicAccessCidrs', `must be a list of IPv4 CIDR blocks, got ${show(cidrs)}`);
    return;
  }
  const list = (cidrs ?? []) as unknown[];
  const seen = new Set<string>();
  list.forEach((c, i) => {
    const path = `aws.publicAccessCidrs[${i}]`;
    if (!p.string(c, path)) return;
    const block = parseIpv4Cidr(c);
    if (!block) p.add(path, `(${show(c)}) must be an IPv4 CIDR block such as "203.0.113.0/24"`);
    else if (block.first % block.size !== 0) p.add(path, `(${show(c)}) has host bits set`);
    else if (block.prefix === 0 && environment === 'prod') {
      p.add(
        path,
        '("0.0.0.0/0") would open the production API endpoint to the whole internet: list the networks operators come from, or turn aws.endpointPublicAccess off',
      );
    }
    if (seen.has(c)) p.add(path, `(${show(c)}) is listed twice`);
    seen.add(c);
  });
  if (list.length > 40) p.add('aws.publicAccessCidrs', `lists ${list.length} blocks; EKS accepts at most 40`);
  if (pub === true && list.length === 0) {
    p.add(
      'aws.publicAccessCidrs',
      'is required when aws.endpointPublicAccess is true: list the networks that may reach the public endpoint (nothing defaults to the whole internet)',
    );
  }
  if (pub === false && list.length > 0) {
    p.add('aws.publicAccessCidrs', 'is set but aws.endpointPublicAccess is false: remove the blocks or turn the public endpoint on');
  }
}

function checkAws(p: Problems, aws: unknown, environment: unknown): void {
  if (!p.object(aws, 'aws')) return;
  p.knownKeys(aws, 'aws', ['accountId', 'region', 'availabilityZones', 'adminRoleArns', 'vpcCidr', 'endpointPublicAccess', 'publicAccessCidrs']);
  checkVpcCidr(p, aws.vpcCidr);
  checkEndpointAccess(p, aws, environment);
  p.matches(aws.accountId, 'aws.accountId', /^[0-9]{12}$/, 'a 12-digit AWS account id');
  checkAdminRoleArns(p, aws);
  const regionOk = typeof aws.region === 'string' && AWS_REGION.test(aws.region);
  p.matches(aws.region, 'aws.region', AWS_REGION, 'an AWS region such as us-east-1');
  const zones = aws.availabilityZones;
  if (!Array.isArray(zones)) {
    p.add('aws.availabilityZones', zones === undefined ? 'is required' : 'must be a list of zone names');
    return;
  }
  const seen = new Set<string>();
  zones.forEach((zone, i) => {
    const path = `aws.availabilityZones[${i}]`;
    if (!p.string(zone, path)) return;
    if (seen.has(zone)) p.add(path, `(${show(zone)}) is listed twice`);
    seen.add(zone);
    if (regionOk && !new RegExp(`^${aws.region as string}[a-z]$`).test(zone)) {
      p.add(path, `(${show(zone)}) is not a zone of region ${aws.region as string}`);
    }
  });
  if (zones.length < 3) {
    p.add('aws.availabilityZones', `has ${zones.length} zone(s); 3 are needed, one per etcd member, to survive a zone failure`);
  }
}

function checkMilvus(p: Problems, given: unknown, r: ResolvedClusterSpec): void {
  if (!p.object(given, 'milvus')) return;
  p.knownKeys(given, 'milvus', [
    'version',
    'size',
    'namespace',
    'messageQueue',
    ...MILVUS_ROLE_NAMES.map((role) => MILVUS_ROLES[role].specKey),
    'queryNodeCacheSize',
    'etcd',
  ]);
  const m = r.milvus;
  let minor: string | undefined;
  if (typeof given.version !== 'string' || !/^[0-9]+\.[0-9]+\.[0-9]+$/.test(given.version)) {
    p.add('milvus.version', given.version === undefined ? 'is required' : `(${show(given.version)}) must be an exact release such as "2.6.15"`);
  } else if (!MILVUS_MINORS.includes(milvusMinorOf(given.version))) {
    p.add('milvus.version', `(${show(given.version)}) is not a supported minor; supported: ${MILVUS_MINORS.join(', ')}`);
  } else {
    minor = milvusMinorOf(given.version);
  }
  if (given.size !== undefined) p.oneOf(given.size, 'milvus.size', ['small', 'medium', 'large']);
  if (given.namespace !== undefined) p.matches(given.namespace, 'milvus.namespace', DNS_LABEL, 'a lowercase DNS label');

  // The queue decides the topology's external dependencies.
  const mq = given.messageQueue;
  if (mq === undefined) {
    if (minor === '2.5') p.add('milvus.messageQueue', 'is required for Milvus 2.5: name an external Kafka or Pulsar');
  } else if (p.object(mq, 'milvus.messageQueue')) {
    p.oneOf(mq.type, 'milvus.messageQueue.type', ['woodpecker', 'kafka', 'pulsar']);
    if (mq.type === 'woodpecker') {
      p.knownKeys(mq, 'milvus.messageQueue', ['type', 'mode']);
      if (minor === '2.5') p.add('milvus.messageQueue.type', '("woodpecker") requires Milvus 2.6; Milvus 2.5 needs Kafka or Pulsar');
      if (mq.mode === 'service') {
        // The Woodpecker StatefulSet is not rendered yet; refusing beats pointing Milvus at nothing.
        p.add('milvus.messageQueue.mode', '("service") is not supported yet; use "embedded" (Woodpecker inside the streaming nodes)');
      } else if (mq.mode !== undefined) p.oneOf(mq.mode, 'milvus.messageQueue.mode', ['embedded', 'service']);
    } else if (mq.type === 'kafka') {
      p.knownKeys(mq, 'milvus.messageQueue', ['type', 'brokers', 'network']);
      checkKafkaPath(p, mq, r);
      if (!Array.isArray(mq.brokers) || mq.brokers.length === 0) {
        p.add('milvus.messageQueue.brokers', 'must list at least one broker as host:port');
      } else {
        mq.brokers.forEach((b, i) => p.matches(b, `milvus.messageQueue.brokers[${i}]`, /^[a-zA-Z0-9.-]+:[0-9]{1,5}$/, 'host:port'));
      }
    } else if (mq.type === 'pulsar') {
      p.knownKeys(mq, 'milvus.messageQueue', ['type', 'address', 'port', 'tenant', 'namespace']);
      p.matches(mq.address, 'milvus.messageQueue.address', /^[a-zA-Z0-9.-]+$/, 'a host name without scheme or port');
      if (mq.port !== undefined) p.int(mq.port, 'milvus.messageQueue.port', 1, 65535);
    }
  }

  // Each role its minor runs (and, on an unknown minor, each role the spec sizes); a role sized on a
  // minor that does not run it is reported instead of checked.
  for (const role of MILVUS_ROLE_NAMES) {
    const def = MILVUS_ROLES[role];
    const path = `milvus.${def.specKey}`;
    const givenRole = given[def.specKey];
    if (minor !== undefined && !(def.minors as readonly MilvusMinor[]).includes(minor as MilvusMinor) && givenRole !== undefined) {
      p.add(path, 'notRunMessage' in def ? def.notRunMessage : `is not run by Milvus ${minor}`);
    } else if (def.replicas === 'fixed') {
      const resolved = m[def.specKey];
      if (resolved) checkFixed(p, givenRole, resolved, path, def.maxReplicas);
    } else {
      const resolved = m[def.specKey];
      if (resolved) checkScalable(p, givenRole, resolved, path);
    }
  }

  if (parseQuantity(m.queryNodeCacheSize) === undefined) {
    p.add('milvus.queryNodeCacheSize', `(${show(m.queryNodeCacheSize)}) is not a Kubernetes quantity`);
  }
  if (given.etcd !== undefined && p.object(given.etcd, 'milvus.etcd')) {
    p.knownKeys(given.etcd, 'milvus.etcd', ['storageSize', 'snapshotSchedule', 'snapshotsRetained']);
  }
  if (parseQuantity(m.etcd.storageSize) === undefined) {
    p.add('milvus.etcd.storageSize', `(${show(m.etcd.storageSize)}) is not a Kubernetes quantity`);
  }
  const cron = typeof m.etcd.snapshotSchedule === 'string' ? m.etcd.snapshotSchedule.trim().split(/\s+/) : [];
  if (cron.length !== 5 || !cron.every((f) => CRON_FIELD.test(f))) {
    p.add('milvus.etcd.snapshotSchedule', `(${show(m.etcd.snapshotSchedule)}) must be a 5-field cron expression`);
  }
  p.int(m.etcd.snapshotsRetained, 'milvus.etcd.snapshotsRetained', 1, 10000);
  if (cron.length === 5 && cron.every((f) => CRON_FIELD.test(f)) && cronIntervalSeconds(m.etcd.snapshotSchedule) === undefined) {
    p.add(
      'milvus.etcd.snapshotSchedule',
      `(${show(m.etcd.snapshotSchedule)}) must run at a fixed interval (every N minutes, hours or days), so the time the snapshots cover is known`,
    );
  }
}

/**
 * A restore from the oldest etcd snapshot kept needs every segment file that snapshot names: S3
 * must keep deleted versions at least that long (Milvus' garbage collection deletes a dropped
 * segment's files after dataCoord.gc.dropTolerance, which the render raises to the same window).
 */
function checkRetention(p: Problems, r: ResolvedClusterSpec): void {
  p.int(r.storage.noncurrentVersionDays, 'storage.noncurrentVersionDays', 1, 3650);
  const window = snapshotWindowSeconds(r);
  if (window !== undefined && Number.isInteger(r.storage.noncurrentVersionDays) && window > r.storage.noncurrentVersionDays * 86400) {
    p.add(
      'milvus.etcd.snapshotsRetained',
      `(${r.milvus.etcd.snapshotsRetained} snapshots, ${(window / 86400).toFixed(1)} days) outlives storage.noncurrentVersionDays (${r.storage.noncurrentVersionDays}): a restore from the oldest snapshot would name segment files S3 no longer keeps; keep fewer snapshots or raise storage.noncurrentVersionDays`,
    );
  }
}

/**
 * The snapshot bucket: a valid name (its derived default grows with storage.bucket), not the
 * Milvus bucket, and a replica in another region whose derived name is valid too.
 */
function checkBackupBucket(p: Problems, r: ResolvedClusterSpec): void {
  const { bucket, etcdBackupBucket: backup, etcdBackupReplicaRegion: replica } = r.storage;
  if (typeof backup !== 'string') {
    p.add('storage.etcdBackupBucket', `must be a string, got ${show(backup)}`);
    return;
  }
  // A derived name is judged only when what it derives from is sound (else that is the problem).
  const derived = backup === `${bucket}-backups`;
  if (derived && (bucketProblem(bucket) !== undefined || !DNS_LABEL.test(r.name) || r.name.length > MAX_CLUSTER_NAME)) return;
  const why = bucketProblem(backup);
  if (why) p.add('storage.etcdBackupBucket', `(${show(backup)}) ${why}${derived ? ' (derived from storage.bucket: set storage.etcdBackupBucket)' : ''}`);
  if (backup === bucket) p.add('storage.etcdBackupBucket', `(${show(backup)}) must differ from storage.bucket: Milvus' role must not reach the snapshots`);
  if (replica === undefined) return;
  if (typeof replica !== 'string' || !AWS_REGION.test(replica)) {
    p.add('storage.etcdBackupReplicaRegion', `(${show(replica)}) must be an AWS region such as "us-west-2"`);
  } else if (replica === r.aws.region) {
    p.add('storage.etcdBackupReplicaRegion', `(${show(replica)}) must differ from aws.region: a replica in the same region survives no regional outage`);
  } else if (!why && bucketProblem(`${backup}-replica`)) {
    p.add(
      'storage.etcdBackupReplicaRegion',
      `needs the replica bucket "${backup}-replica", which ${bucketProblem(`${backup}-replica`)}: set a shorter storage.etcdBackupBucket`,
    );
  }
}

function checkRest(p: Problems, spec: Obj, r: ResolvedClusterSpec): void {
  if (spec.storage !== undefined && p.object(spec.storage, 'storage')) {
    p.knownKeys(spec.storage, 'storage', ['bucket', 'rootPath', 'etcdBackupBucket', 'etcdBackupPrefix', 'etcdBackupReplicaRegion', 'noncurrentVersionDays']);
  }
  // A derived bucket name is valid whenever name and account are, so only a given one is checked.
  const given = isObj(spec.storage) ? spec.storage.bucket : undefined;
  if (typeof given === 'string') {
    const why = bucketProblem(given);
    if (why) p.add('storage.bucket', `(${show(given)}) ${why}`);
  } else if (given !== undefined) p.add('storage.bucket', `must be a string, got ${show(given)}`);
  checkBackupBucket(p, r);
  const prefix = /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/;
  p.matches(r.storage.rootPath, 'storage.rootPath', prefix, 'a key prefix without leading or trailing slash');
  p.matches(r.storage.etcdBackupPrefix, 'storage.etcdBackupPrefix', prefix, 'a key prefix without leading or trailing slash');
  if (r.storage.etcdBackupPrefix === r.storage.rootPath || String(r.storage.etcdBackupPrefix).startsWith(`${r.storage.rootPath}/`)) {
    p.add('storage.etcdBackupPrefix', `(${show(r.storage.etcdBackupPrefix)}) must not lie inside storage.rootPath, where Milvus garbage-collects`);
  }

  if (p.object(spec.nodes, 'nodes')) {
    p.knownKeys(spec.nodes, 'nodes', ['provisioner', 'gpuIndexBuild', 'limits']);
    p.oneOf(spec.nodes.provisioner, 'nodes.provisioner', ['karpenter', 'cluster-autoscaler']);
    p.bool(r.nodes.gpuIndexBuild, 'nodes.gpuIndexBuild');
    if (spec.nodes.limits !== undefined && p.object(spec.nodes.limits, 'nodes.limits')) {
      p.knownKeys(spec.nodes.limits, 'nodes.limits', Object.keys(NODE_CLASSES));
    }
    checkClassLimits(p, r);
  }

  const as = spec.autoscaling;
  if (as !== undefined && p.object(as, 'autoscaling')) {
    p.knownKeys(as, 'autoscaling', ['queryNode', 'indexBuild']);
    if (as.queryNode !== undefined && p.object(as.queryNode, 'autoscaling.queryNode')) {
      p.knownKeys(as.queryNode, 'autoscaling.queryNode', ['cpuUtilization', 'memoryUtilization', 'queueDepthPerPod', 'p99LatencyMs']);
    }
    if (as.indexBuild !== undefined && p.object(as.indexBuild, 'autoscaling.indexBuild')) {
      p.knownKeys(as.indexBuild, 'autoscaling.indexBuild', ['pendingTasksPerReplica', 'scaleToZero']);
    }
  }
  const q = r.autoscaling.queryNode;
  p.int(q.cpuUtilization, 'autoscaling.queryNode.cpuUtilization', 1, 100);
  p.int(q.memoryUtilization, 'autoscaling.queryNode.memoryUtilization', 1, 100);
  p.number(q.queueDepthPerPod, 'autoscaling.queryNode.queueDepthPerPod', (n) => n > 0, '> 0');
  p.number(q.p99LatencyMs, 'autoscaling.queryNode.p99LatencyMs', (n) => n > 0, '> 0');
  if (typeof q.p99LatencyMs === 'number' && typeof r.monitoring.searchLatencySloMs === 'number' && q.p99LatencyMs >= r.monitoring.searchLatencySloMs) {
    p.add(
      'autoscaling.queryNode.p99LatencyMs',
      `(${q.p99LatencyMs}) must be below monitoring.searchLatencySloMs (${r.monitoring.searchLatencySloMs}): scale out before the SLO alert fires`,
    );
  }
  p.int(r.autoscaling.indexBuild.pendingTasksPerReplica, 'autoscaling.indexBuild.pendingTasksPerReplica', 1);
  p.bool(r.autoscaling.indexBuild.scaleToZero, 'autoscaling.indexBuild.scaleToZero');
  if (r.autoscaling.indexBuild.scaleToZero === true && r.milvus.minor === '2.6') {
    // 2.6 builds indexes on data nodes, which also compact: at zero replicas compaction would stop.
    p.add('autoscaling.indexBuild.scaleToZero', 'requires Milvus 2.5 (index nodes); on 2.6 data nodes also compact and must keep running');
  }

  const mon = r.monitoring;
  if (spec.monitoring !== undefined && p.object(spec.monitoring, 'monitoring')) {
    p.knownKeys(spec.monitoring, 'monitoring', ['retention', 'storageSize', 'searchLatencySloMs', 'queryNodeMemoryAlertRatio', 'grafana']);
  }
  p.matches(mon.retention, 'monitoring.retention', DURATION, 'a Prometheus duration such as "15d"');
  if (parseQuantity(mon.storageSize) === undefined) p.add('monitoring.storageSize', `(${show(mon.storageSize)}) is not a Kubernetes quantity`);
  p.number(mon.searchLatencySloMs, 'monitoring.searchLatencySloMs', (n) => n > 0, '> 0');
  p.number(mon.queryNodeMemoryAlertRatio, 'monitoring.queryNodeMemoryAlertRatio', (n) => n > 0 && n <= 1, 'in (0, 1]');
  p.bool(mon.grafana, 'monitoring.grafana');

  if (p.object(spec.gitops, 'gitops')) {
    p.knownKeys(spec.gitops, 'gitops', ['repositoryUrl', 'branch', 'secretRef', 'interval']);
    p.matches(r.gitops.repositoryUrl, 'gitops.repositoryUrl', /^(ssh:\/\/[^\s/]+\/\S+|https:\/\/[^\s/]+\/\S+)$/, 'an ssh:// or https:// repository URL');
    p.matches(r.gitops.branch, 'gitops.branch', /^(?!.*\.\.)(?!\/)[A-Za-z0-9._/-]+(?<![./])$/, 'a Git branch name');
    p.matches(r.gitops.secretRef, 'gitops.secretRef', DNS_LABEL, 'a Secret name (lowercase DNS label)');
    p.matches(r.gitops.interval, 'gitops.interval', GO_DURATION, 'a duration such as "5m"');
  }
}

/** Every node class must hold all of its roles at their maximum replicas. */
function checkClassLimits(p: Problems, r: ResolvedClusterSpec): void {
  const demand = new Map<NodeClass, { cpu: number; mem: number; roles: string[] }>();
  for (const { role, replicas, sizing: resolved } of resolvedMilvusRoles(r.milvus)) {
    const n = (replicas === 'scalable' ? resolved.maxReplicas : resolved.replicas) ?? 0;
    const cls = MILVUS_ROLE_NODE_CLASS[role];
    const d = demand.get(cls) ?? { cpu: 0, mem: 0, roles: [] };
    d.cpu += n * (parseQuantity(resolved.resources.requests.cpu) ?? 0);
    d.mem += n * (parseQuantity(resolved.resources.requests.memory) ?? 0);
    d.roles.push(role);
    demand.set(cls, d);
  }
  for (const [cls, d] of demand) {
    const limit = r.nodes.limits[cls];
    if (!isObj(limit) || typeof limit.cpu !== 'number' || typeof limit.memoryGi !== 'number') {
      p.add(`nodes.limits.${cls}`, 'must be { cpu: <vCPUs>, memoryGi: <GiB> }');
      continue;
    }
    const memGi = Math.ceil(d.mem / 2 ** 30);
    if (d.cpu > limit.cpu || memGi > limit.memoryGi) {
      p.add(
        `nodes.limits.${cls}`,
        `(${limit.cpu} vCPU, ${limit.memoryGi} GiB) cannot hold ${d.roles.join(', ')} at maximum replicas (${Math.ceil(d.cpu)} vCPU, ${memGi} GiB requested): raise the limit or lower the replicas`,
      );
    }
  }
}

const INDEX_KEYS: Record<string, readonly string[]> = {
  HNSW: ['type', 'M', 'ef'],
  IVF_FLAT: ['type', 'nlist', 'nprobe'],
  IVF_SQ8: ['type', 'nlist', 'nprobe'],
  DISKANN: ['type', 'searchList'],
};

/** The workload the capacity replay sizes: collections with their index, and the traffic. */
function checkWorkload(p: Problems, given: unknown, r: ResolvedClusterSpec): void {
  if (given === undefined || !p.object(given, 'workload')) return;
  p.knownKeys(given, 'workload', ['collections', 'traffic']);
  const w = r.workload;
  if (given.collections !== undefined) {
    if (!Array.isArray(given.collections) || given.collections.length === 0) {
      p.add('workload.collections', 'must list at least one collection');
      return;
    }
    const names = new Set<string>();
    given.collections.forEach((c: unknown, i: number) => {
      const at = `workload.collections[${i}]`;
      if (!p.object(c, at)) return;
      p.knownKeys(c, at, ['name', 'vectors', 'dimension', 'index', 'replicas', 'shards']);
      const rc = w.collections[i]!;
      if (
        p.matches(rc.name, `${at}.name`, /^[A-Za-z_][A-Za-z0-9_]{0,254}$/, 'a Milvus collection name (letters, digits, _; not starting with a digit)') &&
        names.has(rc.name)
      )
        p.add(`${at}.name`, `(${show(rc.name)}) is listed twice`);
      names.add(rc.name);
      p.int(rc.vectors, `${at}.vectors`, 1);
      // Milvus' proxy.maxDimension: 32768 (configs/milvus.yaml).
      p.int(rc.dimension, `${at}.dimension`, 2, 32768);
      p.int(rc.replicas, `${at}.replicas`, 1, 10);
      p.int(rc.shards, `${at}.shards`, 1, 16);
      const index = (c as Obj).index;
      if (index !== undefined && p.object(index, `${at}.index`)) {
        p.oneOf(index.type, `${at}.index.type`, Object.keys(INDEX_KEYS));
        const keys = INDEX_KEYS[String(index.type)];
        if (keys) p.knownKeys(index, `${at}.index`, keys);
      }
      const ix = rc.index;
      if (ix.type === 'HNSW') {
        p.int(ix.M, `${at}.index.M`, 2, 2048);
        if (p.int(ix.ef, `${at}.index.ef`, 1) && ix.ef < w.traffic.topK)
          p.add(`${at}.index.ef`, `(${ix.ef}) must be at least workload.traffic.topK (${w.traffic.topK})`);
      } else if (ix.type === 'DISKANN') {
        if (p.int(ix.searchList, `${at}.index.searchList`, 1) && ix.searchList < w.traffic.topK)
          p.add(`${at}.index.searchList`, `(${ix.searchList}) must be at least workload.traffic.topK (${w.traffic.topK})`);
      } else if (p.int(ix.nlist, `${at}.index.nlist`, 1, 65536)) {
        if (p.int(ix.nprobe, `${at}.index.nprobe`, 1) && ix.nprobe > ix.nlist)
          p.add(`${at}.index.nprobe`, `(${ix.nprobe}) must be at most nlist (${ix.nlist})`);
      }
    });
  }
  if (given.traffic !== undefined && p.object(given.traffic, 'workload.traffic')) {
    p.knownKeys(given.traffic, 'workload.traffic', ['searchQps', 'insertRowsPerSecond', 'topK', 'searchCoreMs']);
    p.number(w.traffic.searchQps, 'workload.traffic.searchQps', (n) => n > 0, '> 0');
    p.number(w.traffic.insertRowsPerSecond, 'workload.traffic.insertRowsPerSecond', (n) => n >= 0, '>= 0');
    // Milvus' quotaAndLimits.limits.topK: 16384 (configs/milvus.yaml).
    p.int(w.traffic.topK, 'workload.traffic.topK', 1, 16384);
    if (w.traffic.searchCoreMs !== undefined) p.number(w.traffic.searchCoreMs, 'workload.traffic.searchCoreMs', (n) => n > 0, '> 0');
  }
}

/**
 * Every problem of a spec, or an empty list. `resolved` is the spec with defaults applied, which
 * is where cross-field rules (a default min against a given max) are checked.
 */
export function validateClusterSpec(spec: ClusterSpec): string[] {
  const raw: unknown = spec;
  const cluster = isObj(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : '<unnamed>';
  const p = new Problems(cluster);
  if (!isObj(raw)) {
    p.add('(spec)', 'must be an object');
    return p.list;
  }
  p.knownKeys(raw, '', [
    'name',
    'environment',
    'aws',
    'kubernetes',
    'milvus',
    'storage',
    'nodes',
    'autoscaling',
    'monitoring',
    'gitops',
    'workload',
    'acknowledgedRisks',
  ]);
  if (raw.acknowledgedRisks !== undefined && p.object(raw.acknowledgedRisks, 'acknowledgedRisks')) {
    p.knownKeys(raw.acknowledgedRisks, 'acknowledgedRisks', RISK_IDS);
    for (const [id, reason] of Object.entries(raw.acknowledgedRisks)) {
      if (typeof reason !== 'string' || reason.trim().length < 10) p.add(`acknowledgedRisks.${id}`, 'must say, in a sentence, why the change is safe');
    }
  }
  if (p.string(raw.name, 'name')) {
    if (!DNS_LABEL.test(raw.name)) p.add('name', `(${show(raw.name)}) must be a lowercase DNS label (a-z, 0-9, "-")`);
    else if (raw.name.length > MAX_CLUSTER_NAME)
      p.add('name', `(${show(raw.name)}) must be at most ${MAX_CLUSTER_NAME} characters (it prefixes IAM role names)`);
  }
  p.oneOf(raw.environment, 'environment', ['prod', 'staging', 'dev']);
  checkAws(p, raw.aws, raw.environment);
  if (p.object(raw.kubernetes, 'kubernetes')) {
    p.knownKeys(raw.kubernetes, 'kubernetes', ['version', 'schemaVersion']);
    p.oneOf(raw.kubernetes.version, 'kubernetes.version', KUBERNETES_VERSIONS);
    if (raw.kubernetes.schemaVersion !== undefined) p.oneOf(raw.kubernetes.schemaVersion, 'kubernetes.schemaVersion', KUBERNETES_VERSIONS);
  }
  let resolved: ResolvedClusterSpec;
  try {
    resolved = applyDefaults(spec);
  } catch (e) {
    p.add('(spec)', `could not be resolved: ${(e as Error).message}`);
    return p.list;
  }
  checkMilvus(p, raw.milvus, resolved);
  checkRest(p, raw, resolved);
  checkRetention(p, resolved);
  checkWorkload(p, raw.workload, resolved);
  return p.list;
}

/** Validates and applies defaults; throws a ClusterSpecError listing every problem. */
export function resolveClusterSpec(spec: ClusterSpec): ResolvedClusterSpec {
  const problems = validateClusterSpec(spec);
  if (problems.length > 0) {
    const raw: unknown = spec;
    const cluster = isObj(raw) && typeof raw.name === 'string' && raw.name ? raw.name : '<unnamed>';
    throw new ClusterSpecError(cluster, problems);
  }
  return applyDefaults(spec);
}
