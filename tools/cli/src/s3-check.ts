// `gitops s3-check`: the posture of a cluster's bucket (reachable, versioning, encryption, public
// access block, lifecycle) and what Milvus keeps under its root path, through the AWS SDK's
// standard credential chain. A posture call the endpoint does not implement is "unknown", never a pass.

import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { clusterNames, type ResolvedClusterSpec } from '@milvus-gitops/spec';

/** The result of one posture check. */
export type CheckStatus = 'pass' | 'fail' | 'unknown';

/** One posture line. */
export interface PostureCheck {
  readonly check: 'reachable' | 'versioning' | 'encryption' | 'public-access-block' | 'lifecycle';
  readonly status: CheckStatus;
  readonly detail: string;
}

/** Bytes and objects of one kind of Milvus data. */
export interface Usage {
  objects: number;
  bytes: number;
}

/** The kinds of data Milvus and its backups keep in the bucket. */
export const DATA_KINDS = ['insert_log', 'delta_log', 'stats_log', 'index_files', 'wal', 'etcd_backups', 'other'] as const;
export type DataKind = (typeof DATA_KINDS)[number];

/** The whole report. */
export interface S3Report {
  readonly cluster: string;
  readonly bucket: string;
  readonly rootPath: string;
  readonly posture: readonly PostureCheck[];
  readonly usage: Readonly<Record<DataKind, Usage>>;
  /** Segment count per collection id (from the insert logs). */
  readonly segmentsPerCollection: Readonly<Record<string, number>>;
}

/** A failure that stops the check, phrased for the person running it. */
export class S3CheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'S3CheckError';
  }
}

/** Options of `s3Check`. */
export interface S3CheckOptions {
  /** S3 endpoint override (an S3-compatible server); path-style addressing is used with it. @default the regional AWS endpoint */
  readonly endpoint?: string;
  /** A client to use instead of building one (tests). @default built from the SDK chain */
  readonly client?: S3Client;
}

const NOT_IMPLEMENTED = new Set(['NotImplemented', 'MethodNotAllowed', 'XNotImplemented']);

function errorName(e: unknown): string {
  const err = e as Partial<S3ServiceException> & { code?: string };
  return err.name ?? err.code ?? 'Error';
}

function status(e: unknown): number | undefined {
  return (e as Partial<S3ServiceException>).$metadata?.httpStatusCode;
}

/** Turns an SDK error into a sentence naming the bucket and what to do. */
function explain(e: unknown, bucket: string, endpoint: string): S3CheckError {
  const name = errorName(e);
  const message = (e as Error).message ?? String(e);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new S3CheckError(
      `no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where an IAM role is available (${message})`,
    );
  }
  if (name === 'NoSuchBucket' || status(e) === 404) return new S3CheckError(`bucket ${bucket} does not exist at ${endpoint}`);
  if (name === 'AccessDenied' || name === 'Forbidden' || status(e) === 403) {
    return new S3CheckError(`access denied to bucket ${bucket}: the caller needs s3:ListBucket and s3:GetBucket* on arn:aws:s3:::${bucket}`);
  }
  const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || name === 'TimeoutError') return new S3CheckError(`cannot reach ${endpoint}: ${message}`);
  return new S3CheckError(`bucket ${bucket}: ${name}: ${message}`);
}

/** Classifies an object key (relative to the bucket) into a data kind, with its collection and segment. */
export function classify(key: string, rootPath: string, backupPrefix: string): { kind: DataKind; collection?: string; segment?: string } {
  if (key.startsWith(`${backupPrefix}/`)) return { kind: 'etcd_backups' };
  if (!key.startsWith(`${rootPath}/`)) return { kind: 'other' };
  const parts = key.slice(rootPath.length + 1).split('/');
  const head = parts[0];
  if (head === 'insert_log' || head === 'delta_log' || head === 'stats_log') {
    // <kind>/<collection>/<partition>/<segment>/...
    return { kind: head, collection: parts[1], segment: parts[3] };
  }
  if (head === 'index_files') return { kind: 'index_files' };
  // Milvus 2.6 puts Woodpecker's WAL objects under `<minio.rootPath>/wp`, whatever
  // `woodpecker.storage.rootPath` says (pkg/streaming/walimpls/impls/wp/builder.go, v2.6.15).
  if (head === 'wp') return { kind: 'wal' };
  return { kind: 'other' };
}

async function posture(client: S3Client, bucket: string): Promise<PostureCheck[]> {
  const probe = async (check: PostureCheck['check'], run: () => Promise<{ status: CheckStatus; detail: string }>, missing: string[]): Promise<PostureCheck> => {
    try {
      return { check, ...(await run()) };
    } catch (e) {
      const name = errorName(e);
      if (missing.includes(name)) return { check, status: 'fail', detail: `not configured (${name})` };
      if (NOT_IMPLEMENTED.has(name) || status(e) === 501 || status(e) === 405)
        return { check, status: 'unknown', detail: `the endpoint does not implement this call (${name})` };
      return { check, status: 'unknown', detail: `${name}: ${(e as Error).message}` };
    }
  };
  return Promise.all([
    probe(
      'versioning',
      async () => {
        const r = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
        if (r.Status === undefined && r.MFADelete === undefined && !r.$metadata.httpStatusCode) return { status: 'unknown', detail: 'no answer' };
        return r.Status === 'Enabled' ? { status: 'pass', detail: 'enabled' } : { status: 'fail', detail: `status ${r.Status ?? 'never enabled'}` };
      },
      [],
    ),
    probe(
      'encryption',
      async () => {
        const r = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
        const rule = r.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        return rule
          ? { status: 'pass', detail: `default ${rule.SSEAlgorithm}${rule.KMSMasterKeyID ? ` (${rule.KMSMasterKeyID})` : ''}` }
          : { status: 'fail', detail: 'no default encryption rule' };
      },
      ['ServerSideEncryptionConfigurationNotFoundError'],
    ),
    probe(
      'public-access-block',
      async () => {
        const c = (await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration;
        const all = c?.BlockPublicAcls && c.IgnorePublicAcls && c.BlockPublicPolicy && c.RestrictPublicBuckets;
        return all ? { status: 'pass', detail: 'all four settings on' } : { status: 'fail', detail: 'not every public access setting is blocked' };
      },
      ['NoSuchPublicAccessBlockConfiguration'],
    ),
    probe(
      'lifecycle',
      async () => {
        const rules = (await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
        return rules.length > 0 ? { status: 'pass', detail: `${rules.length} rule(s)` } : { status: 'fail', detail: 'no rules' };
      },
      ['NoSuchLifecycleConfiguration'],
    ),
  ]);
}

/** Checks a cluster's bucket and measures what Milvus stores there. */
export async function s3Check(spec: ResolvedClusterSpec, opts: S3CheckOptions = {}): Promise<S3Report> {
  const names = clusterNames(spec);
  const endpoint = opts.endpoint ?? `https://${names.s3Endpoint}`;
  const client =
    opts.client ?? new S3Client({ region: spec.aws.region, ...(opts.endpoint ? { endpoint: opts.endpoint, forcePathStyle: true } : {}), maxAttempts: 2 });
  const bucket = names.bucket;
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (e) {
    throw explain(e, bucket, endpoint);
  }
  const checks: PostureCheck[] = [{ check: 'reachable', status: 'pass', detail: endpoint }, ...(await posture(client, bucket))];

  const usage = Object.fromEntries(DATA_KINDS.map((k) => [k, { objects: 0, bytes: 0 }])) as Record<DataKind, Usage>;
  const segments = new Map<string, Set<string>>();
  // Milvus' data in its bucket, the etcd snapshots in theirs (a bucket of its own).
  for (const [where, prefix] of [
    [bucket, `${names.milvusRootPath}/`],
    [names.etcdBackupBucket, `${names.etcdBackupPrefix}/`],
  ] as const) {
    let token: string | undefined;
    do {
      let page;
      try {
        page = await client.send(new ListObjectsV2Command({ Bucket: where, Prefix: prefix, ContinuationToken: token }));
      } catch (e) {
        throw explain(e, where, endpoint);
      }
      for (const o of page.Contents ?? []) {
        const c = classify(o.Key ?? '', names.milvusRootPath, names.etcdBackupPrefix);
        usage[c.kind].objects += 1;
        usage[c.kind].bytes += o.Size ?? 0;
        if (c.kind === 'insert_log' && c.collection && c.segment) {
          const set = segments.get(c.collection) ?? new Set<string>();
          set.add(c.segment);
          segments.set(c.collection, set);
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
  const segmentsPerCollection = Object.fromEntries([...segments.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.size]));
  return { cluster: spec.name, bucket, rootPath: names.milvusRootPath, posture: checks, usage, segmentsPerCollection };
}

function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** The report as aligned text tables. */
export function formatS3Report(r: S3Report): string {
  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    return rows
      .map((row) =>
        row
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n');
  };
  const lines = [`bucket ${r.bucket} of cluster ${r.cluster} (Milvus root ${r.rootPath}/)`, ''];
  lines.push(table([['CHECK', 'STATUS', 'DETAIL'], ...r.posture.map((p) => [p.check, p.status.toUpperCase(), p.detail])]), '');
  lines.push(table([['DATA', 'OBJECTS', 'BYTES'], ...DATA_KINDS.map((k) => [k, String(r.usage[k].objects), humanBytes(r.usage[k].bytes)])]), '');
  const cols = Object.entries(r.segmentsPerCollection);
  lines.push(cols.length ? table([['COLLECTION', 'SEGMENTS'], ...cols.map(([c, n]) => [c, String(n)])]) : 'no collections with insert logs');
  return `${lines.join('\n')}\n`;
}
