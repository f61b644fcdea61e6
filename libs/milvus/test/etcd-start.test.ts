// The etcd start script, run by the real bash against a stand-in etcdctl that answers as a cluster
// would and records what it was asked to do.
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { etcdStartScript } from '../src/etcd-start.js';

const DOMAIN = 'milvus-etcd-headless.milvus.svc.cluster.local';
const peer = (m: string) => `http://${m}.${DOMAIN}:2380`;

/** Runs the script as member `me`; `members` is what `member list` answers (undefined: nobody answers). */
async function start(me: string, opts: { members?: string[]; hasData?: boolean }) {
  const dir = await mkdtemp(join(tmpdir(), 'etcd-start-'));
  const data = join(dir, 'data');
  if (opts.hasData) await mkdir(join(data, 'member'), { recursive: true });
  const calls = join(dir, 'calls');
  await mkdir(join(dir, 'bin'));
  const list = opts.members?.join('\n') ?? '';
  await writeFile(
    join(dir, 'bin', 'etcdctl'),
    `#!/bin/bash\necho "$*" >> ${calls}\ncase "$*" in\n  *"member list"*) ${opts.members ? `printf '%s\\n' '${list}'` : 'echo "context deadline exceeded" >&2; exit 1'} ;;\nesac\n`,
  );
  await chmod(join(dir, 'bin', 'etcdctl'), 0o755);
  const configFile = join(dir, 'etcd.conf.yml');
  const script = etcdStartScript({
    members: ['milvus-etcd-0', 'milvus-etcd-1', 'milvus-etcd-2'],
    domain: DOMAIN,
    dataDir: data,
    token: 'prod-us-east-1-milvus-etcd',
    metricsPort: 2381,
    settings: { 'auto-compaction-mode': 'revision', 'quota-backend-bytes': 4294967296 },
    configFile,
  }).replace('sleep 2', 'true');
  await writeFile(join(dir, 'start.sh'), script);
  const { stdout } = await promisify(execFile)('bash', [join(dir, 'start.sh')], { env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, POD_NAME: me } });
  const config = parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  const asked = (await readFile(calls, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { stdout, config, asked: asked.map((c) => c.replace(/^--endpoints=\S+ --dial-timeout=3s --command-timeout=10s /, '')) };
}

const started = (i: number, id = `${i}a`) => `${id}, started, milvus-etcd-${i}, ${peer(`milvus-etcd-${i}`)}, http://milvus-etcd-${i}.${DOMAIN}:2379, false`;

describe('etcd start script', () => {
  it('forms the cluster on first boot, when no other member answers', async () => {
    const r = await start('milvus-etcd-0', {});
    expect(r.config['initial-cluster-state']).toBe('new');
    expect(r.config).toMatchObject({
      name: 'milvus-etcd-0',
      'initial-advertise-peer-urls': peer('milvus-etcd-0'),
      'initial-cluster': ['milvus-etcd-0', 'milvus-etcd-1', 'milvus-etcd-2'].map((m) => `${m}=${peer(m)}`).join(','),
      'quota-backend-bytes': 4294967296,
      'auto-compaction-mode': 'revision',
    });
    expect(r.asked.every((c) => c.startsWith('member list'))).toBe(true);
  });

  it('restarts a member that has its data without touching the membership', async () => {
    const r = await start('milvus-etcd-1', { hasData: true, members: [started(0), started(1), started(2)] });
    expect(r.asked).toEqual([]);
    expect(r.stdout).toContain('has data');
  });

  it('replaces a member that lost its volume: remove, add, then join as existing', async () => {
    const r = await start('milvus-etcd-2', { members: [started(0), started(1), started(2, '8e9e05c52164694d')] });
    expect(r.asked).toEqual(['member list -w simple', 'member remove 8e9e05c52164694d', `member add milvus-etcd-2 --peer-urls=${peer('milvus-etcd-2')}`]);
    expect(r.config['initial-cluster-state']).toBe('existing');
  });

  it('joins without a membership change when its entry never started (the slow third member of a first boot)', async () => {
    const r = await start('milvus-etcd-2', { members: [started(0), started(1), `9f1a, unstarted, , ${peer('milvus-etcd-2')}, , false`] });
    expect(r.asked).toEqual(['member list -w simple']);
    expect(r.config['initial-cluster-state']).toBe('existing');
  });

  it('adds itself when the cluster does not list it (removed by hand)', async () => {
    const r = await start('milvus-etcd-1', { members: [started(0), started(2)] });
    expect(r.asked).toEqual(['member list -w simple', `member add milvus-etcd-1 --peer-urls=${peer('milvus-etcd-1')}`]);
    expect(r.config['initial-cluster-state']).toBe('existing');
  });
});
