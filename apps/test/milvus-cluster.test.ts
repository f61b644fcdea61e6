import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec, type DeepPartial } from '@milvus-gitops/spec/testing';
import { Gp3EncryptedStorageClass, MilvusCluster } from '@milvus-gitops/milvus';
import { milvusClusterProps } from '../src/milvus.js';

type Obj = Record<string, any>;

const spec = (milvus: ClusterSpec['milvus'], extra: DeepPartial<ClusterSpec> = {}): ClusterSpec =>
  testClusterSpec({ milvus, storage: { bucket: 'acme-milvus-prod' }, ...extra });

function synth(s: ClusterSpec): Obj[] {
  const chart = new Chart(Testing.app(), 'test');
  new MilvusCluster(chart, 'milvus', milvusClusterProps(resolveClusterSpec(s)));
  return Testing.synth(chart) as Obj[];
}

const of = (objs: Obj[], kind: string) => objs.filter((o) => o.kind === kind);
const named = (objs: Obj[], kind: string, name: string) => {
  const found = objs.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const container = (d: Obj) => d.spec.template.spec.containers[0];

describe('MilvusCluster topology', () => {
  const MIXTURE = 'milvus run mixture -rootcoord -querycoord -datacoord -indexcoord';

  it('runs proxy, the coordinators, querynode, datanode and streamingnode on 2.6', () => {
    const roles = of(synth(spec({ version: '2.6.15' })), 'Deployment').map((d) => container(d).args.join(' '));
    expect(roles.sort()).toEqual(['milvus run datanode', MIXTURE, 'milvus run proxy', 'milvus run querynode', 'milvus run streamingnode'].sort());
  });

  it('runs the 2.5 coordinators as one mixture process (2.5 has no mixcoord role), with a port per coordinator', () => {
    const s = spec({ version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b-1:9092'] } });
    const deployments = of(synth(s), 'Deployment');
    expect(deployments.map((d) => container(d).args.join(' ')).sort()).toEqual(
      ['milvus run datanode', 'milvus run indexnode', MIXTURE, 'milvus run proxy', 'milvus run querynode'].sort(),
    );
    const coord = container(named(deployments, 'Deployment', 'milvus-mixcoord'));
    expect(coord.ports.map((p: { name: string; containerPort: number }) => `${p.name}:${p.containerPort}`)).toEqual([
      'rootcoord:22125',
      'querycoord:19531',
      'datacoord:13333',
      'metrics:9091',
    ]);
  });

  it('serves 2.6 mixcoord on the root coordinator port that user.yaml pins', () => {
    const coord = container(named(of(synth(spec({ version: '2.6.15' })), 'Deployment'), 'Deployment', 'milvus-mixcoord'));
    expect(coord.ports[0]).toEqual({ name: 'mixcoord', containerPort: 22125, protocol: 'TCP' });
  });

  it('pins the image to the exact release of the spec', () => {
    for (const d of of(synth(spec({ version: '2.6.15' })), 'Deployment')) expect(container(d).image).toBe('milvusdb/milvus:v2.6.15');
  });
});

describe('MilvusCluster roles', () => {
  const objs = synth(spec({ version: '2.6.15', size: 'large', queryNode: { minReplicas: 2, maxReplicas: 20 } }));
  const deployments = of(objs, 'Deployment');
  const userYaml = String(named(objs, 'ConfigMap', 'milvus-config').data['user.yaml']);

  it('takes traffic on /healthz and restarts only a process that stops listening, with a startup allowance', () => {
    for (const d of deployments) {
      const c = container(d);
      expect(c.ports).toContainEqual({ name: 'metrics', containerPort: 9091, protocol: 'TCP' });
      expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 'metrics' });
      // /healthz fails while etcd or a coordinator is away: liveness on it would restart every pod.
      for (const probe of ['startupProbe', 'livenessProbe'])
        expect([probe, c[probe].tcpSocket, c[probe].httpGet]).toEqual([probe, { port: 'metrics' }, undefined]);
      expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    }
  });

  it('lets the proxy leave the Service before it stops, within its grace period', () => {
    for (const d of deployments) {
      const c = container(d);
      const sleep = c.lifecycle?.preStop?.exec?.command;
      if (c.name === 'proxy') {
        expect(sleep).toEqual(['sleep', '30']);
        // 30 s waiting, Milvus' own graceful stop, and 30 s to spare.
        const stop = Number(/proxy:\n\s+gracefulStopTimeout: (\d+)/.exec(userYaml)?.[1]);
        expect(d.spec.template.spec.terminationGracePeriodSeconds).toBe(30 + stop + 30);
      } else expect(sleep).toBeUndefined();
    }
  });

  it('gives every role a PDB selecting exactly its pods', () => {
    for (const d of deployments) {
      const pdb = named(objs, 'PodDisruptionBudget', d.metadata.name);
      expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: d.spec.selector });
    }
  });

  it('spreads every role across zones (hard) and hosts (soft)', () => {
    for (const d of deployments) {
      const spread = d.spec.template.spec.topologySpreadConstraints;
      expect(spread.map((t: Obj) => [t.topologyKey, t.whenUnsatisfiable])).toEqual([
        ['topology.kubernetes.io/zone', 'DoNotSchedule'],
        ['kubernetes.io/hostname', 'ScheduleAnyway'],
      ]);
      for (const t of spread) expect(t.labelSelector.matchLabels).toEqual(d.spec.selector.matchLabels);
    }
  });

  it('places serving and coordination on the query class and data work on the spot data class', () => {
    const classOf = (role: string) => {
      const pod = named(objs, 'Deployment', `milvus-${role}`).spec.template.spec;
      const term = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0];
      // The class's taint, then how long the pod stays on a node that stopped reporting (libs/milvus NODE_LOSS_TOLERATION_SECONDS).
      expect(pod.tolerations).toEqual([
        { key: 'milvus-gitops.io/node-class', operator: 'Equal', value: term.values[0], effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
      ]);
      return term.values;
    };
    expect(classOf('querynode')).toEqual(['query']);
    expect(classOf('mixcoord')).toEqual(['query']);
    expect(classOf('proxy')).toEqual(['query']);
    expect(classOf('streamingnode')).toEqual(['query']);
    expect(classOf('datanode')).toEqual(['data']);
  });

  it('gives query nodes an NVMe-backed cache volume sized by the spec and time to hand segments over', () => {
    const q = named(objs, 'Deployment', 'milvus-querynode');
    const pod = q.spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'data', emptyDir: { sizeLimit: '300Gi' } });
    expect(container(q).volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/milvus' });
    expect(container(q).resources.requests['ephemeral-storage']).toBe('300Gi');
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(300);
  });

  it('takes requests and limits from the spec', () => {
    const s = spec({ version: '2.6.15', queryNode: { resources: { requests: { cpu: '6', memory: '40Gi' }, limits: { cpu: '8', memory: '40Gi' } } } });
    const c = container(named(synth(s), 'Deployment', 'milvus-querynode'));
    expect(c.resources.requests).toMatchObject({ cpu: '6', memory: '40Gi' });
    expect(c.resources.limits).toMatchObject({ cpu: '8', memory: '40Gi' });
  });

  it('runs the minimum of scalable roles and the fixed count of the others', () => {
    expect(named(objs, 'Deployment', 'milvus-querynode').spec.replicas).toBe(2);
    expect(named(objs, 'Deployment', 'milvus-streamingnode').spec.replicas).toBe(3);
    expect(named(objs, 'Deployment', 'milvus-mixcoord').spec.replicas).toBe(2);
  });

  it('addresses only the proxy through a Service, on 19530 and 9091', () => {
    const services = of(objs, 'Service').filter((s) => s.metadata.labels['app.kubernetes.io/name'] === 'milvus');
    expect(services.map((s) => s.metadata.name)).toEqual(['milvus-proxy']);
    expect(services[0]!.spec.ports.map((p: Obj) => p.port)).toEqual([19530, 9091]);
  });

  it('runs every pod non-root, without escalation, with a read-only root and RuntimeDefault seccomp', () => {
    const pods = [
      ...deployments.map((d) => d.spec.template.spec),
      named(objs, 'StatefulSet', 'milvus-etcd').spec.template.spec,
      named(objs, 'CronJob', 'milvus-etcd-backup').spec.jobTemplate.spec.template.spec,
    ];
    for (const pod of pods) {
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false });
      }
    }
  });

  it('rolls pods when the config changes', () => {
    const hash = (s: ClusterSpec) => named(synth(s), 'Deployment', 'milvus-proxy').spec.template.metadata.annotations['milvus-gitops.io/config-hash'];
    expect(hash(spec({ version: '2.6.15' }))).not.toBe(hash(spec({ version: '2.6.15' }, { storage: { bucket: 'other-bucket' } })));
  });
});

describe('etcd', () => {
  const objs = synth(spec({ version: '2.6.15', etcd: { storageSize: '50Gi', snapshotsRetained: 72 } }));
  const sts = named(objs, 'StatefulSet', 'milvus-etcd');

  it('runs three members of the official image, one per zone and never two on a host', () => {
    expect(sts.spec.replicas).toBe(3);
    const pod = sts.spec.template.spec;
    expect(pod.containers[0].image).toMatch(/^quay\.io\/coreos\/etcd:v3\.5\.[0-9]+$/);
    expect(pod.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', maxSkew: 1 });
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    // The start script (run by the init container) writes the whole configuration etcd reads.
    expect(pod.containers[0].command).toEqual(['etcd', '--config-file=/run/etcd/etcd.conf.yml']);
    expect(pod.initContainers[0]).toMatchObject({ name: 'member', image: 'milvusdb/etcd:3.5.25-r1', command: ['bash', '/scripts/etcd-start.sh'] });
    const script = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'milvus-etcd-start')!.data['etcd-start.sh'] as string;
    expect(script).toContain(
      'initial-cluster: "milvus-etcd-0=http://milvus-etcd-0.milvus-etcd-headless.milvus.svc.cluster.local:2380,milvus-etcd-1=http://milvus-etcd-1.milvus-etcd-headless.milvus.svc.cluster.local:2380,milvus-etcd-2=http://milvus-etcd-2.milvus-etcd-headless.milvus.svc.cluster.local:2380"',
    );
  });

  it('restarts a member only when it cannot read locally, so a full backend (NOSPACE) does not restart all three', () => {
    const c = sts.spec.template.spec.containers[0];
    expect([c.startupProbe.httpGet, c.livenessProbe.httpGet, c.readinessProbe.httpGet]).toEqual([
      { path: '/livez', port: 'metrics' },
      { path: '/livez', port: 'metrics' },
      { path: '/readyz', port: 'metrics' },
    ]);
  });

  it('keeps data on encrypted gp3 volumes of the spec size', () => {
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3-encrypted', resources: { requests: { storage: '50Gi' } } });
    const sc = new Chart(Testing.app(), 'sc');
    new Gp3EncryptedStorageClass(sc, 'sc');
    expect(Testing.synth(sc)[0]).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  it('has client and peer Services and a PDB that keeps quorum', () => {
    expect(named(objs, 'Service', 'milvus-etcd').spec.ports.map((p: Obj) => p.port)).toContain(2379);
    expect(named(objs, 'Service', 'milvus-etcd-headless').spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(named(objs, 'PodDisruptionBudget', 'milvus-etcd').spec.maxUnavailable).toBe(1);
  });

  it("snapshots to the snapshot bucket (not Milvus' bucket) under the backup prefix with its own IRSA account, keeping a bounded number", () => {
    const cron = named(objs, 'CronJob', 'milvus-etcd-backup');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    expect(pod.serviceAccountName).toBe('etcd-backup');
    expect(pod.initContainers[0].command.slice(-3)).toEqual(['snapshot', 'save', '/backup/snapshot.db']);
    expect(pod.containers[0].env).toEqual(
      expect.arrayContaining([
        { name: 'BUCKET', value: 'acme-milvus-prod-backups' },
        { name: 'BACKUP_PREFIX', value: 'etcd-backups/prod-us-east-1' },
        { name: 'RETAIN', value: '72' },
      ]),
    );
    // The bucket has Object Lock: S3 takes an upload there only with a checksum header.
    expect(pod.containers[0].command[2]).toMatch(/aws s3 cp \/backup\/snapshot\.db "s3:\/\/\$\{BUCKET\}\/\$\{key\}" --checksum-algorithm CRC32 /);
    const sa = named(objs, 'ServiceAccount', 'etcd-backup');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toBe('arn:aws:iam::111122223333:role/prod-us-east-1-etcd-backup');
  });
});
