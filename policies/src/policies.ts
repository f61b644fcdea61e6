// The policy pack: rules every rendered object of a cluster must pass. Each rule has an id, a
// one-line rationale, and failure messages that say how to fix the object.

import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { describeObject, PRUNE_DISABLED_ANNOTATION, type Manifest } from '@milvus-gitops/core/manifest';
import { IRSA_ROLE_ANNOTATION, S3_ACCESS_LABEL } from '@milvus-gitops/spec';

export { S3_ACCESS_LABEL };

/** One breach of a policy. */
export interface Violation {
  /** The object breaking the rule. */
  readonly object: Manifest;
  /** JSON path inside the object. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** A rule over all objects of one cluster. */
export interface Policy {
  /** Stable id, quoted in every message (`container-resources`). */
  readonly id: string;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  /** `object`: judges each object alone; `cluster`: needs every object of the cluster (references). */
  readonly scope: 'object' | 'cluster';
  /** The breaches among `objects`. */
  check(objects: readonly Manifest[]): Violation[];
}

/** Annotation on a workload that needs a writable root filesystem; its value says why. */
export const WRITABLE_ROOT_ANNOTATION = 'milvus-gitops.io/writable-root-filesystem';

/** Kinds that live outside namespaces. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'NodePool',
  'EC2NodeClass',
  'NodeClaim',
  'CustomResourceDefinition',
  'PriorityClass',
  'PersistentVolume',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

/** Namespaces every EKS cluster has, which the render does not create. */
const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'default', 'kube-public', 'kube-node-lease']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Obj = Record<string, any> & Manifest;

/** A pod template inside a workload, with the JSON path of its pod spec. */
export interface PodTemplate {
  readonly object: Manifest;
  readonly path: string;
  readonly spec: V1PodSpec;
  readonly labels: Record<string, string>;
}

/** The pod templates of the workloads among `objects`. */
export function podTemplates(objects: readonly Manifest[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const o of objects as Obj[]) {
    let template: Obj | undefined;
    let path = '';
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].includes(o.kind)) {
      template = o.spec?.template;
      path = 'spec.template';
    } else if (o.kind === 'CronJob') {
      template = o.spec?.jobTemplate?.spec?.template;
      path = 'spec.jobTemplate.spec.template';
    }
    if (template?.spec) out.push({ object: o as Manifest, path: `${path}.spec`, spec: template.spec, labels: template.metadata?.labels ?? {} });
  }
  return out;
}

function containers(p: PodTemplate): { c: V1Container; path: string }[] {
  return [
    ...(p.spec.initContainers ?? []).map((c, i) => ({ c, path: `${p.path}.initContainers[${i}]` })),
    ...(p.spec.containers ?? []).map((c, i) => ({ c, path: `${p.path}.containers[${i}]` })),
  ];
}

const key = (o: Manifest) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const matchesSelector = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Scale targets of HPAs and ScaledObjects, by `Kind/namespace/name`, with their maximum. */
function autoscaled(objects: readonly Manifest[]): Map<string, { by: Manifest; max: number }> {
  const out = new Map<string, { by: Manifest; max: number }>();
  for (const o of objects as Obj[]) {
    if (o.kind === 'HorizontalPodAutoscaler' && o.spec?.scaleTargetRef) {
      out.set(`${o.spec.scaleTargetRef.kind}/${o.metadata.namespace ?? ''}/${o.spec.scaleTargetRef.name}`, { by: o as Manifest, max: o.spec.maxReplicas ?? 1 });
    } else if (o.kind === 'ScaledObject' && o.spec?.scaleTargetRef) {
      out.set(`${o.spec.scaleTargetRef.kind ?? 'Deployment'}/${o.metadata.namespace ?? ''}/${o.spec.scaleTargetRef.name}`, {
        by: o as Manifest,
        max: o.spec.maxReplicaCount ?? 100,
      });
    }
  }
  return out;
}

/** Every container states requests and limits for CPU and memory. */
export const containerResources: Policy = {
  id: 'container-resources',
  scope: 'object',
  rationale: 'Without requests the scheduler overcommits nodes; without limits one pod can starve its neighbours.',
  check(objects) {
    const out: Violation[] = [];
    for (const p of podTemplates(objects)) {
      for (const { c, path } of containers(p)) {
        for (const side of ['requests', 'limits'] as const) {
          for (const r of ['cpu', 'memory']) {
            if (c.resources?.[side]?.[r] === undefined) {
              out.push({
                object: p.object,
                path: `${path}.resources.${side}.${r}`,
                message: `container "${c.name}" has no ${r} ${side.slice(0, -1)}: set resources.${side}.${r}`,
              });
            }
          }
        }
      }
    }
    return out;
  },
};

/** Milvus containers carry liveness, readiness and startup probes. */
export const milvusProbes: Policy = {
  id: 'milvus-probes',
  scope: 'object',
  rationale: 'A Milvus role that is not probed keeps receiving traffic while it loads segments or hangs.',
  check(objects) {
    const out: Violation[] = [];
    for (const p of podTemplates(objects).filter((t) => t.labels['app.kubernetes.io/name'] === 'milvus')) {
      for (const { c, path } of containers(p)) {
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          if (!c[probe])
            out.push({
              object: p.object,
              path: `${path}.${probe}`,
              message: `Milvus container "${c.name}" has no ${probe}: probe /healthz on the metrics port 9091`,
            });
        }
      }
    }
    return out;
  },
};

/** A workload that can run more than one replica has a PodDisruptionBudget selecting its pods. */
export const pdbForReplicated: Policy = {
  id: 'pdb-for-replicated',
  scope: 'cluster',
  rationale: 'Without a PDB a node drain or Karpenter consolidation may evict every replica at once.',
  check(objects) {
    const scaled = autoscaled(objects);
    const pdbs = (objects as readonly Obj[]).filter((o) => o.kind === 'PodDisruptionBudget');
    const out: Violation[] = [];
    for (const p of podTemplates(objects)) {
      const o = p.object as Obj;
      if (o.kind !== 'Deployment' && o.kind !== 'StatefulSet') continue;
      const replicas = Math.max(o.spec?.replicas ?? 1, scaled.get(key(p.object))?.max ?? 0);
      if (replicas <= 1) continue;
      const covered = pdbs.some((b) => b.metadata.namespace === o.metadata.namespace && matchesSelector(b.spec?.selector?.matchLabels, p.labels));
      if (!covered)
        out.push({
          object: p.object,
          path: 'spec',
          message: `${o.kind} runs up to ${replicas} replicas but no PodDisruptionBudget selects its pods: add one with maxUnavailable: 1`,
        });
    }
    return out;
  },
};

/** HPAs and ScaledObjects have sane bounds, an existing target, and own its replica count alone. */
export const autoscalerTargets: Policy = {
  id: 'autoscaler-targets',
  scope: 'cluster',
  rationale: 'A scaler pointing at nothing silently does nothing; a target that sets replicas is reset by Flux on every reconcile.',
  check(objects) {
    const out: Violation[] = [];
    const byKey = new Map(objects.map((o) => [key(o), o as Obj]));
    for (const o of objects as Obj[]) {
      if (o.kind !== 'HorizontalPodAutoscaler' && o.kind !== 'ScaledObject') continue;
      const ref = o.spec?.scaleTargetRef ?? {};
      const min = o.kind === 'HorizontalPodAutoscaler' ? (o.spec?.minReplicas ?? 1) : (o.spec?.minReplicaCount ?? 0);
      const max = o.kind === 'HorizontalPodAutoscaler' ? o.spec?.maxReplicas : (o.spec?.maxReplicaCount ?? 100);
      const field = o.kind === 'HorizontalPodAutoscaler' ? 'spec.minReplicas' : 'spec.minReplicaCount';
      if (typeof max === 'number' && min > max)
        out.push({ object: o as Manifest, path: field, message: `minimum (${min}) is above maximum (${max}): lower the minimum or raise the maximum` });
      const target = byKey.get(`${ref.kind ?? 'Deployment'}/${o.metadata.namespace ?? ''}/${ref.name}`);
      if (!target) {
        out.push({
          object: o as Manifest,
          path: 'spec.scaleTargetRef',
          message: `targets ${ref.kind ?? 'Deployment'} ${o.metadata.namespace}/${ref.name}, which this cluster does not render: fix the name or render the workload`,
        });
      } else if (target.spec?.replicas !== undefined) {
        out.push({
          object: target as Manifest,
          path: 'spec.replicas',
          message: `is set although ${o.kind} ${o.metadata.name} scales this workload: remove spec.replicas so Flux does not fight the autoscaler`,
        });
      }
    }
    return out;
  },
};

/** Every HelmRelease's chart source is rendered for the same cluster. */
export const helmSourceExists: Policy = {
  id: 'helm-source-exists',
  scope: 'cluster',
  rationale: 'A HelmRelease whose repository is not rendered never installs, and everything depending on it waits forever.',
  check(objects) {
    const out: Violation[] = [];
    const byKey = new Set(objects.map(key));
    for (const o of objects as readonly Obj[]) {
      if (o.kind !== 'HelmRelease') continue;
      const ref = o.spec?.chart?.spec?.sourceRef;
      if (!ref) continue;
      const wanted = `${ref.kind}/${ref.namespace ?? o.metadata.namespace ?? ''}/${ref.name}`;
      if (!byKey.has(wanted)) {
        out.push({
          object: o as Manifest,
          path: 'spec.chart.spec.sourceRef',
          message: `chart source ${ref.kind} ${ref.namespace ?? o.metadata.namespace}/${ref.name} is not rendered for this cluster: render it or fix the reference`,
        });
      }
    }
    return out;
  },
};

/** Images are pinned: a tag other than latest, or a digest. */
export const imagePinned: Policy = {
  id: 'image-pinned',
  scope: 'object',
  rationale: "A render must be a complete statement of what runs; a moving tag changes it behind the reviewer's back.",
  check(objects) {
    const out: Violation[] = [];
    for (const p of podTemplates(objects)) {
      for (const { c, path } of containers(p)) {
        const image = c.image ?? '';
        if (image.includes('@sha256:')) continue;
        const tag = /:([^/:]+)$/.exec(image)?.[1];
        if (!tag || tag === 'latest')
          out.push({ object: p.object, path: `${path}.image`, message: `image "${image}" is not pinned: use an exact version tag or a digest` });
      }
    }
    return out;
  },
};

/** Pods run non-root, without privilege or escalation, with a read-only root filesystem. */
export const podSecurity: Policy = {
  id: 'pod-security',
  scope: 'object',
  rationale: 'A compromised process must not gain root, new privileges or a writable image.',
  check(objects) {
    const out: Violation[] = [];
    for (const p of podTemplates(objects)) {
      const writableReason = p.object.metadata.annotations?.[WRITABLE_ROOT_ANNOTATION];
      for (const { c, path } of containers(p)) {
        const sc = c.securityContext ?? {};
        if (sc.runAsNonRoot !== true && p.spec.securityContext?.runAsNonRoot !== true) {
          out.push({
            object: p.object,
            path: `${path}.securityContext.runAsNonRoot`,
            message: `container "${c.name}" may run as root: set runAsNonRoot: true (pod or container)`,
          });
        }
        if (sc.allowPrivilegeEscalation !== false) {
          out.push({
            object: p.object,
            path: `${path}.securityContext.allowPrivilegeEscalation`,
            message: `container "${c.name}" allows privilege escalation: set allowPrivilegeEscalation: false`,
          });
        }
        if (sc.privileged === true)
          out.push({ object: p.object, path: `${path}.securityContext.privileged`, message: `container "${c.name}" is privileged: remove privileged: true` });
        if (sc.readOnlyRootFilesystem !== true && !writableReason) {
          out.push({
            object: p.object,
            path: `${path}.securityContext.readOnlyRootFilesystem`,
            message: `container "${c.name}" has a writable root filesystem: set readOnlyRootFilesystem: true, or annotate the workload with ${WRITABLE_ROOT_ANNOTATION}: <why>`,
          });
        }
      }
    }
    return out;
  },
};

const AWS_KEY_ENV = /^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$/;
const AWS_KEY_FIELD = /(aws_access_key_id|aws_secret_access_key|accesskeyid|secretaccesskey)/i;

/** No static AWS credentials anywhere: IRSA only. */
export const noStaticAwsCredentials: Policy = {
  id: 'no-static-aws-credentials',
  scope: 'object',
  rationale: 'Static keys leak through Git, logs and backups and never expire; IRSA tokens do.',
  check(objects) {
    const out: Violation[] = [];
    for (const p of podTemplates(objects)) {
      for (const { c, path } of containers(p)) {
        (c.env ?? []).forEach((e, i) => {
          if (AWS_KEY_ENV.test(e.name))
            out.push({
              object: p.object,
              path: `${path}.env[${i}]`,
              message: `container "${c.name}" sets ${e.name}: remove it and bind the ServiceAccount to an IAM role (IRSA)`,
            });
        });
      }
    }
    for (const o of objects as Obj[]) {
      if (o.kind === 'Secret') {
        for (const field of ['data', 'stringData']) {
          for (const k of Object.keys(o[field] ?? {})) {
            if (AWS_KEY_FIELD.test(k))
              out.push({ object: o as Manifest, path: `${field}[${JSON.stringify(k)}]`, message: `Secret holds an AWS key (${k}): delete it and use IRSA` });
          }
        }
      }
      if (o.kind === 'ConfigMap') {
        for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, string>)) {
          if (/^\s*(accessKeyID|secretAccessKey)\s*:\s*\S+/m.test(v)) {
            out.push({
              object: o as Manifest,
              path: `data[${JSON.stringify(k)}]`,
              message: 'config sets an S3 access key: remove it and set minio.useIAM: true',
            });
          }
        }
      }
    }
    return out;
  },
};

/** Pods that call S3 run under a ServiceAccount bound to an IAM role. */
export const irsaForS3: Policy = {
  id: 'irsa-for-s3',
  scope: 'cluster',
  rationale: 'Without the role annotation the pod has no AWS credentials and S3 calls fail at runtime.',
  check(objects) {
    const out: Violation[] = [];
    const accounts = new Map(
      (objects as readonly Obj[]).filter((o) => o.kind === 'ServiceAccount').map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]),
    );
    for (const p of podTemplates(objects).filter((t) => t.labels[S3_ACCESS_LABEL] === 'true')) {
      const name = p.spec.serviceAccountName ?? 'default';
      const sa = accounts.get(`${p.object.metadata.namespace}/${name}`);
      if (!sa?.metadata.annotations?.[IRSA_ROLE_ANNOTATION]) {
        out.push({
          object: p.object,
          path: `${p.path}.serviceAccountName`,
          message: `pod talks to S3 but ServiceAccount ${name} ${sa ? 'has no' : 'is not rendered with an'} ${IRSA_ROLE_ANNOTATION} annotation: bind it to the IRSA role from the names module`,
        });
      }
    }
    return out;
  },
};

const REQUIRED_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/part-of', 'app.kubernetes.io/managed-by'];

/** Every object carries the app.kubernetes.io labels. */
export const recommendedLabels: Policy = {
  id: 'recommended-labels',
  scope: 'object',
  rationale: 'Labels are how people and tools find what owns an object and what it belongs to.',
  check(objects) {
    const out: Violation[] = [];
    for (const o of objects) {
      for (const l of REQUIRED_LABELS) {
        if (!o.metadata.labels?.[l])
          out.push({
            object: o,
            path: `metadata.labels[${JSON.stringify(l)}]`,
            message: `label ${l} is missing: build labels with standardLabels() inside an AppChart`,
          });
      }
    }
    return out;
  },
};

/** Every namespaced object names a namespace the cluster has. */
export const namespaceExists: Policy = {
  id: 'namespace-exists',
  scope: 'cluster',
  rationale: 'Flux cannot apply an object into a namespace that does not exist, and the whole Kustomization fails.',
  check(objects) {
    const out: Violation[] = [];
    const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
    for (const o of objects) {
      if (CLUSTER_SCOPED_KINDS.has(o.kind)) continue;
      const ns = o.metadata.namespace;
      if (!ns) out.push({ object: o, path: 'metadata.namespace', message: `${o.kind} is namespaced but sets no namespace: set metadata.namespace` });
      else if (!namespaces.has(ns) && !SYSTEM_NAMESPACES.has(ns))
        out.push({ object: o, path: 'metadata.namespace', message: `namespace ${ns} is not rendered for this cluster: add a Namespace object` });
    }
    return out;
  },
};

/** No two objects share kind, namespace and name. */
export const uniqueObjects: Policy = {
  id: 'unique-objects',
  scope: 'cluster',
  rationale: 'Two objects with one identity overwrite each other on apply, whichever Flux applies last wins.',
  check(objects) {
    const seen = new Map<string, Manifest>();
    const out: Violation[] = [];
    for (const o of objects) {
      const k = key(o);
      if (seen.has(k)) out.push({ object: o, path: 'metadata.name', message: `${describeObject(o)} is rendered twice: rename one of them` });
      else seen.set(k, o);
    }
    return out;
  },
};

const PRUNE_KEY = Object.keys(PRUNE_DISABLED_ANNOTATION)[0]!;
const keptOnPrune = (o: Obj): boolean =>
  [o.metadata.annotations?.[PRUNE_KEY], (o.metadata.labels as Record<string, string> | undefined)?.[PRUNE_KEY]].some((v) => v?.toLowerCase() === 'disabled');

/** Whether a HelmRelease's values ask its chart for persistent volumes (Prometheus storageSpec, a volumeClaimTemplate, persistence). */
function valuesHoldData(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(valuesHoldData);
  if (!v || typeof v !== 'object') return false;
  return Object.entries(v as Record<string, unknown>).some(
    ([k, x]) =>
      k === 'storageSpec' || k === 'volumeClaimTemplate' || (k === 'persistence' && (x as { enabled?: boolean })?.enabled === true) || valuesHoldData(x),
  );
}

/** Objects that hold data, and the namespaces and storage classes they live in, are never pruned by Flux. */
export const dataKeptOnPrune: Policy = {
  id: 'data-kept-on-prune',
  scope: 'cluster',
  rationale: 'Flux prunes what leaves the render: a renamed app or a moved object would delete volumes, metadata or the namespace holding them.',
  check(objects) {
    const out: Violation[] = [];
    const holders = (objects as Obj[]).filter(
      (o) =>
        (o.kind === 'StatefulSet' && (o.spec?.volumeClaimTemplates?.length ?? 0) > 0) ||
        o.kind === 'PersistentVolumeClaim' ||
        (o.kind === 'HelmRelease' && valuesHoldData(o.spec?.values)),
    );
    const namespaces = new Set(holders.map((o) => (o.kind === 'HelmRelease' ? o.spec?.targetNamespace : o.metadata.namespace)).filter(Boolean));
    const classes = new Set<string>(holders.flatMap((o) => (o.spec?.volumeClaimTemplates ?? [o]).map((t: Obj) => t.spec?.storageClassName).filter(Boolean)));
    const protect = (o: Obj, why: string) => {
      if (!keptOnPrune(o))
        out.push({ object: o, path: `metadata.annotations["${PRUNE_KEY}"]`, message: `${why}: annotate it ${PRUNE_KEY}: disabled so Flux never prunes it` });
    };
    for (const o of holders) protect(o, o.kind === 'HelmRelease' ? 'its chart keeps persistent volumes and pruning uninstalls it' : 'holds persistent data');
    for (const o of objects as Obj[]) {
      if (o.kind === 'Namespace' && namespaces.has(o.metadata.name)) protect(o, 'holds persistent data (deleting a namespace deletes its claims)');
      if (o.kind === 'StorageClass' && classes.has(o.metadata.name)) protect(o, 'persistent volumes are provisioned from it');
    }
    return out;
  },
};

/** The pack, in the order failures are reported. */
export const POLICIES: readonly Policy[] = [
  containerResources,
  milvusProbes,
  pdbForReplicated,
  autoscalerTargets,
  helmSourceExists,
  imagePinned,
  podSecurity,
  noStaticAwsCredentials,
  irsaForS3,
  recommendedLabels,
  namespaceExists,
  uniqueObjects,
  dataKeptOnPrune,
];

/** A violation with the id of the policy it breaks. */
export interface PolicyFailure extends Violation {
  readonly policy: string;
}

/**
 * Runs the pack over the objects of one cluster. With `wholeCluster` false (a few files, not a
 * cluster's folder) only the rules that judge objects alone apply.
 */
export function runPolicies(objects: readonly Manifest[], policies: readonly Policy[] = POLICIES, wholeCluster = true): PolicyFailure[] {
  return policies
    .filter((p) => wholeCluster || p.scope === 'object')
    .flatMap((p) => p.check(objects).map((v) => ({ ...v, policy: p.id, message: `[${p.id}] ${v.message}` })));
}
