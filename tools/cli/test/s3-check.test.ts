// s3-check against a real S3-compatible server (s3rver) on 127.0.0.1, seeded with a Milvus layout.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { classify, formatS3Report, s3Check, S3CheckError } from '../src/index.js';
import { spec as fixture } from './fixtures.js';

const CREDS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const GITOPS = resolve(import.meta.dirname, '../bin/gitops.js');
// The SDK must never fall back to the instance metadata service (169.254.169.254) in a test.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const spec = resolveClusterSpec({ ...fixture('test-us-east-1'), storage: { bucket: 'acme-milvus-test' } });
const DEV_BUCKET = 'milvus-dev-us-west-2-777788889999';
let server: S3rver;
let endpoint: string;
let client: S3Client;

const SEED: [string, number][] = [
  ['test-us-east-1/insert_log/444/1/1001/100/1', 1000],
  ['test-us-east-1/insert_log/444/1/1001/101/2', 500],
  ['test-us-east-1/insert_log/444/1/1002/100/3', 1000],
  ['test-us-east-1/insert_log/555/2/2001/100/4', 2000],
  ['test-us-east-1/delta_log/444/1/1001/5', 100],
  ['test-us-east-1/stats_log/444/1/1001/100/6', 50],
  ['test-us-east-1/index_files/9001/1/444/1/1001/HNSW_1', 4096],
  // Woodpecker's WAL: <minio.rootPath>/wp, then <instance>/<log>/<segment>/<fragment>.
  ['test-us-east-1/wp/instance/1/0/0', 300],
  // Left over in the Milvus bucket from before the snapshots had a bucket of their own: not counted.
  ['etcd-backups/test-us-east-1/etcd-snapshot-20261101T000000Z.db', 900],
  ['some-other-team/file.txt', 10],
];
/** The snapshot bucket (storage.etcdBackupBucket, by default `<bucket>-backups`). */
const BACKUP_SEED: [string, number][] = [
  ['etcd-backups/test-us-east-1/etcd-snapshot-20261128T000000Z.db', 700],
  ['etcd-backups/other-cluster/etcd-snapshot-20261128T000000Z.db', 800],
];

beforeAll(async () => {
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: await mkdtemp(join(tmpdir(), 's3rver-')),
    configureBuckets: [{ name: 'acme-milvus-test' }, { name: 'acme-milvus-test-backups' }, { name: DEV_BUCKET }, { name: `${DEV_BUCKET}-backups` }],
  });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDS });
  for (const [key, size] of SEED) await client.send(new PutObjectCommand({ Bucket: 'acme-milvus-test', Key: key, Body: Buffer.alloc(size, 1) }));
  for (const [key, size] of BACKUP_SEED) await client.send(new PutObjectCommand({ Bucket: 'acme-milvus-test-backups', Key: key, Body: Buffer.alloc(size, 1) }));
});
afterAll(async () => {
  await server.close();
});

describe('classify', () => {
  it('sorts keys into Milvus data kinds with collection and segment', () => {
    expect(classify('c/insert_log/444/1/1001/100/1', 'c', 'etcd-backups/c')).toEqual({ kind: 'insert_log', collection: '444', segment: '1001' });
    expect(classify('c/index_files/1/2', 'c', 'etcd-backups/c')).toEqual({ kind: 'index_files' });
    expect(classify('etcd-backups/c/x.db', 'c', 'etcd-backups/c')).toEqual({ kind: 'etcd_backups' });
  });
});

describe('s3Check against a local S3 server', () => {
  it('measures insert, delta, stats, index, WAL and backup storage under the cluster paths only', async () => {
    const r = await s3Check(spec, { client, endpoint });
    expect(r.usage).toEqual({
      insert_log: { objects: 4, bytes: 4500 },
      delta_log: { objects: 1, bytes: 100 },
      stats_log: { objects: 1, bytes: 50 },
      index_files: { objects: 1, bytes: 4096 },
      wal: { objects: 1, bytes: 300 },
      etcd_backups: { objects: 1, bytes: 700 },
      other: { objects: 0, bytes: 0 },
    });
    expect(r.segmentsPerCollection).toEqual({ '444': 2, '555': 1 });
  });

  it('reports posture calls the server does not implement as unknown, never as a pass', async () => {
    const r = await s3Check(spec, { client, endpoint });
    expect(r.posture[0]).toEqual({ check: 'reachable', status: 'pass', detail: endpoint });
    for (const p of r.posture.slice(1)) {
      expect(p.status).not.toBe('pass');
      expect({ check: p.check, status: p.status }).toEqual({ check: p.check, status: expect.stringMatching(/^(unknown|fail)$/) });
    }
    expect(formatS3Report(r)).toMatch(/reachable\s+PASS/);
  });

  it('names a bucket that does not exist', async () => {
    const other = resolveClusterSpec({ ...fixture('test-us-east-1'), storage: { bucket: 'no-such-bucket-here' } });
    await expect(s3Check(other, { client, endpoint })).rejects.toThrow(new S3CheckError(`bucket no-such-bucket-here does not exist at ${endpoint}`));
  });

  it('says so when the endpoint cannot be reached', async () => {
    const dead = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', forcePathStyle: true, credentials: CREDS, maxAttempts: 1 });
    await expect(s3Check(spec, { client: dead, endpoint: 'http://127.0.0.1:1' })).rejects.toThrow(/^cannot reach http:\/\/127\.0\.0\.1:1/);
  });
});

describe('gitops s3-check', () => {
  const run = (env: Record<string, string>, ...args: string[]) =>
    promisify(execFile)(process.execPath, [GITOPS, 's3-check', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
        ...env,
      },
    }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const creds = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

  it('reports an example cluster bucket as JSON, with credentials from the standard chain', async () => {
    const r = await run(creds, '--cluster', 'dev-us-west-2', '--endpoint', endpoint, '--format', 'json');
    // The SDK may warn about the Node.js version; no error is printed.
    expect(r.stderr).not.toMatch(/^error/m);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ cluster: 'dev-us-west-2', bucket: DEV_BUCKET, rootPath: 'dev-us-west-2' });
    expect(r.code).toBe(report.posture.some((p: { status: string }) => p.status === 'fail') ? 1 : 0);
  });

  it('exits 2 with a clear message when no credentials are found', async () => {
    const r = await run({}, '--cluster', 'dev-us-west-2', '--endpoint', endpoint);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: s3-check dev-us-west-2: no AWS credentials: /m);
  });

  it('exits 2 and names the bucket when access is denied', async () => {
    const r = await run({ AWS_ACCESS_KEY_ID: 'WRONG', AWS_SECRET_ACCESS_KEY: 'WRONG' }, '--cluster', 'dev-us-west-2', '--endpoint', endpoint);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/access denied to bucket milvus-dev-us-west-2-777788889999/);
  });
});
