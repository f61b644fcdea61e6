// The validation corpus: real rendered objects of the example clusters, each broken in one way,
// rejected with exactly the expected failure; the untouched objects (their valid twins) pass.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPS, formatFailure, renderCluster, validateCluster, validatorFor, type ClusterFacts } from '@milvus-gitops/cli';
import type { Manifest } from '@milvus-gitops/core';
import { folderSource, type SchemaValidator } from '@milvus-gitops/k8s-schema';
import { clusterProvisions, resolveClusterSpec, type Provision } from '@milvus-gitops/spec';
import { EXAMPLES } from './clusters.js';
import { REPO } from './helpers.js';

type Obj = Record<string, any>;
type File = { file: string; object: Manifest };

const SCHEMAS = resolve(REPO, '..', 'shared', 'schemas');
let validator: SchemaValidator;
beforeAll(async () => {
  validator = await validatorFor(folderSource(SCHEMAS));
});

function files(cluster: string): File[] {
  return renderCluster(EXAMPLES[cluster]!, APPS).files.map((f) => ({ file: `${cluster}/${f.path}`, object: structuredClone(f.object) }));
}

/** What the readiness rules know of the cluster, less the provisions `withhold` drops. */
function facts(cluster: string, withhold: (p: Provision) => boolean = () => false): ClusterFacts {
  const spec = resolveClusterSpec(EXAMPLES[cluster]!);
  return { provided: clusterProvisions(spec).filter((p) => !withhold(p)), milvusVersion: spec.milvus.version, provisioner: spec.nodes.provisioner };
}

/** Validates a cluster after `change` edits its files; returns the printed failures. */
function failuresAfter(
  cluster: string,
  change: (fs: File[], get: (file: string) => Obj) => File[] | void,
  withhold?: (p: Provision) => boolean,
  readiness = true,
): string[] {
  let fs = files(cluster);
  const get = (file: string) => {
    const f = fs.find((x) => x.file === `${cluster}/${file}`);
    if (!f) throw new Error(`no ${file}`);
    return f.object as Obj;
  };
  fs = change(fs, get) ?? fs;
  return validateCluster(validator, EXAMPLES[cluster]!.kubernetes.version, fs, readiness ? facts(cluster, withhold) : undefined).map(formatFailure);
}

const P = 'prod-us-east-1';
const S = 'staging-eu-west-1';
const QN = 'milvus/deployment-milvus-milvus-querynode.yaml';
const QNF = `${P}/${QN}: Deployment milvus/milvus-querynode`;
const C0 = 'spec.template.spec.containers[0]';

interface Case {
  readonly name: string;
  readonly cluster?: string;
  readonly change: (fs: File[], get: (file: string) => Obj) => File[] | void;
  readonly expected: string[];
  /** Drops something the cluster otherwise has from outside its render. @default nothing */
  readonly withhold?: (p: Provision) => boolean;
  /** Whether the readiness layer judges the case too (off for changes that break a whole cluster). @default true */
  readonly readiness?: boolean;
}

const CASES: Case[] = [
  // Strict schemas of the built-in kinds.
  {
    name: 'unknown container field',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].imagePullPolcy = 'Always'),
    expected: [`${QNF}: ${C0}.imagePullPolcy: unknown field`],
  },
  {
    name: 'replicas as a string',
    change: (_, g) => void (g('milvus/deployment-milvus-milvus-streamingnode.yaml').spec.replicas = 'three'),
    expected: [`${P}/milvus/deployment-milvus-milvus-streamingnode.yaml: Deployment milvus/milvus-streamingnode: spec.replicas: must be an integer`],
  },
  {
    name: 'container port as a string',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].ports[1].containerPort = '9091'),
    expected: [`${QNF}: ${C0}.ports[1].containerPort: must be an integer`],
  },
  {
    name: 'ConfigMap value that is not a string',
    change: (_, g) => void (g('milvus/configmap-milvus-milvus-config.yaml').data['user.yaml'] = { etcd: {} }),
    expected: [`${P}/milvus/configmap-milvus-milvus-config.yaml: ConfigMap milvus/milvus-config: data["user.yaml"]: must be a string`],
  },
  {
    name: 'PDB maxUnavailable neither integer nor string',
    change: (_, g) => void (g('milvus/poddisruptionbudget-milvus-milvus-etcd.yaml').spec.maxUnavailable = true),
    expected: [
      `${P}/milvus/poddisruptionbudget-milvus-milvus-etcd.yaml: PodDisruptionBudget milvus/milvus-etcd: spec.maxUnavailable: must be a string or an integer`,
    ],
  },
  {
    name: 'StatefulSet without a selector',
    change: (_, g) => void delete g('milvus/statefulset-milvus-milvus-etcd.yaml').spec.selector,
    expected: [`${P}/milvus/statefulset-milvus-milvus-etcd.yaml: StatefulSet milvus/milvus-etcd: spec.selector: required field is missing`],
  },
  {
    name: 'a memory quantity that is not one',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].resources.requests.memory = 'lots'),
    expected: [`${QNF}: ${C0}.resources.requests.memory: must be a Kubernetes quantity (such as 500m, 4Gi or 2)`],
  },
  {
    name: 'a quantity with a unit Kubernetes does not have (GB)',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].resources.limits.memory = '56GB'),
    expected: [`${QNF}: ${C0}.resources.limits.memory: must be a Kubernetes quantity (such as 500m, 4Gi or 2)`],
  },
  {
    name: 'a CRD quantity with a unit Kubernetes does not have (Gb)',
    change: (_, g) => void (g('node-pools/nodepool-query.yaml').spec.limits.memory = '56Gb'),
    expected: [`${P}/node-pools/nodepool-query.yaml: NodePool query: spec.limits.memory: must be a Kubernetes quantity (such as 500m, 4Gi or 2)`],
  },
  {
    name: 'resource quantity of the wrong type',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].resources.limits.cpu = { cores: 8 }),
    expected: [`${QNF}: ${C0}.resources.limits.cpu: must be a string or a number`],
  },
  {
    name: 'misspelled HPA target field',
    change: (_, g) => void (g('autoscaling/horizontalpodautoscaler-milvus-milvus-querynode.yaml').spec.metrics[0].resource.target.averageUtilisation = 60),
    expected: [
      `${P}/autoscaling/horizontalpodautoscaler-milvus-milvus-querynode.yaml: HorizontalPodAutoscaler milvus/milvus-querynode: spec.metrics[0].resource.target.averageUtilisation: unknown field`,
    ],
  },
  {
    name: 'an apiVersion no schema serves',
    change: (_, g) => void (g('autoscaling/horizontalpodautoscaler-milvus-milvus-proxy.yaml').apiVersion = 'autoscaling/v2beta2'),
    expected: [
      `${P}/autoscaling/horizontalpodautoscaler-milvus-milvus-proxy.yaml: HorizontalPodAutoscaler milvus/milvus-proxy: apiVersion: no schema for autoscaling/v2beta2 HorizontalPodAutoscaler (Kubernetes 1.29, 1.33 and the CRDs of ${SCHEMAS})`,
    ],
  },
  {
    name: 'boolean given as a string',
    change: (_, g) => void (g('milvus/serviceaccount-milvus-milvus.yaml').automountServiceAccountToken = 'false'),
    expected: [`${P}/milvus/serviceaccount-milvus-milvus.yaml: ServiceAccount milvus/milvus: automountServiceAccountToken: must be true or false`],
  },
  {
    name: 'a field newer than the API floor',
    change: (_, g) => void (g('milvus/service-milvus-milvus-proxy.yaml').spec.trafficDistribution = 'PreferClose'),
    expected: [
      `${P}/milvus/service-milvus-milvus-proxy.yaml: Service milvus/milvus-proxy: spec.trafficDistribution: unknown field (invalid on Kubernetes 1.29, valid on 1.33)`,
    ],
  },
  // Strict schemas of the CRDs.
  {
    name: 'unknown NodePool disruption field',
    change: (_, g) => void (g('node-pools/nodepool-query.yaml').spec.disruption.consolidateWhen = 'never'),
    expected: [`${P}/node-pools/nodepool-query.yaml: NodePool query: spec.disruption.consolidateWhen: unknown field`],
  },
  {
    name: 'NodePool consolidation policy outside the enum',
    change: (_, g) => void (g('node-pools/nodepool-data.yaml').spec.disruption.consolidationPolicy = 'Always'),
    expected: [
      `${P}/node-pools/nodepool-data.yaml: NodePool data: spec.disruption.consolidationPolicy: must be one of "WhenEmpty", "WhenEmptyOrUnderutilized", "Balanced"`,
    ],
  },
  {
    name: 'IMDS token setting outside the enum',
    change: (_, g) => void (g('node-pools/ec2nodeclass-standard.yaml').spec.metadataOptions.httpTokens = 'optional-ish'),
    expected: [`${P}/node-pools/ec2nodeclass-standard.yaml: EC2NodeClass standard: spec.metadataOptions.httpTokens: must be one of "required", "optional"`],
  },
  {
    name: 'Kustomization prune as a string',
    change: (_, g) => void (g('flux-system/kustomization-flux-system-milvus.yaml').spec.prune = 'yes'),
    expected: [`${P}/flux-system/kustomization-flux-system-milvus.yaml: Kustomization flux-system/milvus: spec.prune: must be true or false`],
  },
  {
    name: 'GitRepository without a URL',
    change: (_, g) => void delete g('flux-system/gitrepository-flux-system-flux-system.yaml').spec.url,
    expected: [`${P}/flux-system/gitrepository-flux-system-flux-system.yaml: GitRepository flux-system/flux-system: spec.url: required field is missing`],
  },
  {
    name: 'ScaledObject without triggers',
    cluster: S,
    change: (_, g) => void delete g('autoscaling/scaledobject-milvus-milvus-indexnode.yaml').spec.triggers,
    expected: [`${S}/autoscaling/scaledobject-milvus-milvus-indexnode.yaml: ScaledObject milvus/milvus-indexnode: spec.triggers: required field is missing`],
  },
  {
    name: 'unknown field in CRD object metadata',
    change: (_, g) => void (g('node-pools/nodepool-system.yaml').metadata.label = { a: 'b' }),
    expected: [`${P}/node-pools/nodepool-system.yaml: NodePool system: metadata.label: unknown field`],
  },
  // CEL rules of the CRDs.
  {
    name: 'Karpenter: a label in the restricted karpenter.sh domain',
    change: (_, g) => void (g('node-pools/nodepool-query.yaml').spec.template.metadata.labels['karpenter.sh/team'] = 'search'),
    expected: [`${P}/node-pools/nodepool-query.yaml: NodePool query: spec.template.metadata.labels: label domain "karpenter.sh" is restricted`],
  },
  {
    name: 'Karpenter: an In requirement without values',
    change: (_, g) =>
      void g('node-pools/nodepool-index-spot.yaml').spec.template.spec.requirements.push({
        key: 'karpenter.k8s.aws/instance-size',
        operator: 'In',
        values: [],
      }),
    expected: [
      `${P}/node-pools/nodepool-index-spot.yaml: NodePool index-spot: spec.template.spec.requirements: requirements with operator 'In' must have a value defined`,
    ],
  },
  {
    name: 'Karpenter: a budget schedule without a duration',
    change: (_, g) => void g('node-pools/nodepool-data.yaml').spec.disruption.budgets.push({ nodes: '0', schedule: '0 9 * * *' }),
    expected: [`${P}/node-pools/nodepool-data.yaml: NodePool data: spec.disruption.budgets: 'schedule' must be set with 'duration'`],
  },
  {
    name: 'Karpenter: an AMI alias without a version',
    change: (_, g) => void (g('node-pools/ec2nodeclass-nvme-raid0.yaml').spec.amiSelectorTerms[0].alias = 'al2023'),
    expected: [
      `${P}/node-pools/ec2nodeclass-nvme-raid0.yaml: EC2NodeClass nvme-raid0: spec.amiSelectorTerms[0].alias: 'alias' is improperly formatted, must match the format 'family@version'`,
    ],
  },
  {
    name: 'Karpenter: no subnet selector',
    change: (_, g) => void (g('node-pools/ec2nodeclass-standard.yaml').spec.subnetSelectorTerms = []),
    expected: [
      `${P}/node-pools/ec2nodeclass-standard.yaml: EC2NodeClass standard: spec.subnetSelectorTerms: subnetSelectorTerms cannot be empty`,
      // The CRD's own rule is also false on an empty list (all() of nothing is true); the API server reports both.
      `${P}/node-pools/ec2nodeclass-standard.yaml: EC2NodeClass standard: spec.subnetSelectorTerms: 'id' is mutually exclusive, cannot be set with a combination of other fields in a subnet selector term`,
    ],
  },
  {
    name: 'Flux: a HelmRelease with both chart and chartRef',
    change: (_, g) =>
      void (g('autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml').spec.chartRef = { kind: 'OCIRepository', name: 'adapter' }),
    expected: [
      `${P}/autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml: HelmRelease flux-system/prometheus-adapter: spec: either chart or chartRef must be set`,
    ],
  },
  {
    name: 'KEDA: minimum above maximum',
    cluster: S,
    change: (_, g) => void (g('autoscaling/scaledobject-milvus-milvus-indexnode.yaml').spec.minReplicaCount = 9),
    expected: [
      `${S}/autoscaling/scaledobject-milvus-milvus-indexnode.yaml: ScaledObject milvus/milvus-indexnode: spec: minReplicaCount must be less than or equal to maxReplicaCount`,
      `${S}/autoscaling/scaledobject-milvus-milvus-indexnode.yaml: ScaledObject milvus/milvus-indexnode: spec.minReplicaCount: [autoscaler-targets] minimum (9) is above maximum (4): lower the minimum or raise the maximum`,
    ],
  },
  // The policy pack.
  {
    name: 'container-resources',
    change: (_, g) => void delete g(QN).spec.template.spec.containers[0].resources.limits.cpu,
    expected: [`${QNF}: ${C0}.resources.limits.cpu: [container-resources] container "querynode" has no cpu limit: set resources.limits.cpu`],
  },
  {
    name: 'milvus-probes',
    change: (_, g) => void delete g(QN).spec.template.spec.containers[0].startupProbe,
    expected: [`${QNF}: ${C0}.startupProbe: [milvus-probes] Milvus container "querynode" has no startupProbe: probe /healthz on the metrics port 9091`],
  },
  {
    name: 'pdb-for-replicated',
    change: (fs) => fs.filter((f) => !f.file.endsWith('poddisruptionbudget-milvus-milvus-querynode.yaml')),
    expected: [
      `${QNF}: spec: [pdb-for-replicated] Deployment runs up to 20 replicas but no PodDisruptionBudget selects its pods: add one with maxUnavailable: 1`,
    ],
  },
  {
    name: 'autoscaler-targets: a target that does not exist',
    change: (_, g) => void (g('autoscaling/horizontalpodautoscaler-milvus-milvus-proxy.yaml').spec.scaleTargetRef.name = 'milvus-proxies'),
    expected: [
      `${P}/autoscaling/horizontalpodautoscaler-milvus-milvus-proxy.yaml: HorizontalPodAutoscaler milvus/milvus-proxy: spec.scaleTargetRef: [autoscaler-targets] targets Deployment milvus/milvus-proxies, which this cluster does not render: fix the name or render the workload`,
    ],
  },
  {
    name: 'autoscaler-targets: an autoscaled target that sets replicas',
    change: (_, g) => void (g(QN).spec.replicas = 2),
    expected: [
      `${QNF}: spec.replicas: [autoscaler-targets] is set although HorizontalPodAutoscaler milvus-querynode scales this workload: remove spec.replicas so Flux does not fight the autoscaler`,
    ],
  },
  // Readiness: the render together with what the cluster has from outside it.
  {
    name: 'storage-driver-installed: no EBS CSI driver',
    change: () => undefined,
    withhold: (p) => p.kind === 'CSIDriver',
    expected: [
      `${P}/node-provisioning/storageclass-gp3-encrypted.yaml: StorageClass gp3-encrypted: provisioner: [storage-driver-installed] no driver for ebs.csi.aws.com on this cluster: install it (for ebs.csi.aws.com, the EKS add-on aws-ebs-csi-driver in tools/infra) or render its chart`,
    ],
  },
  {
    name: 'metrics-served: no metrics-server',
    change: (fs) => fs.filter((f) => !/metrics-server\.yaml$/.test(f.file)),
    expected: (
      [
        ['datanode', 1, 'cpu'],
        ['proxy', 0, 'cpu'],
        ['querynode', 0, 'cpu'],
        ['querynode', 1, 'memory'],
      ] as const
    ).map(
      ([r, i, m]) =>
        `${P}/autoscaling/horizontalpodautoscaler-milvus-milvus-${r}.yaml: HorizontalPodAutoscaler milvus/milvus-${r}: spec.metrics[${i}]: [metrics-served] Resource metric ${m} needs metrics.k8s.io, which nothing serves: render metrics-server`,
    ),
  },
  {
    name: 'metrics-served: an HPA metric no adapter rule serves',
    change: (_, g) =>
      void (g('autoscaling/horizontalpodautoscaler-milvus-milvus-querynode.yaml').spec.metrics[2].pods.metric.name = 'milvus_querynode_read_task_ready'),
    expected: [
      `${P}/autoscaling/horizontalpodautoscaler-milvus-milvus-querynode.yaml: HorizontalPodAutoscaler milvus/milvus-querynode: spec.metrics[2]: [metrics-served] custom metric milvus_querynode_read_task_ready is not served by a prometheus-adapter rule: declare it with the HPA so the adapter rule is generated`,
    ],
  },
  {
    name: 'metrics-exist: an adapter rule over a metric Milvus does not export',
    change: (_, g) =>
      void (g('autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml').spec.values.rules.custom[0].seriesQuery =
        'milvus_querynode_read_task_ready_length{namespace!="",pod!=""}'),
    expected: [
      `${P}/autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml: HelmRelease flux-system/prometheus-adapter: spec.values.rules.custom[0].seriesQuery: [metrics-exist] milvus_querynode_read_task_ready_length is not exported by Milvus 2.6.15: use a metric of libs/milvus metric-catalog.ts (MILVUS_METRICS names the ones this repository reads)`,
      `${P}/autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml: HelmRelease flux-system/prometheus-adapter: spec.values.rules.custom[0].metricsQuery: [metrics-exist] milvus_querynode_read_task_ready_length is not exported by Milvus 2.6.15: use a metric of libs/milvus metric-catalog.ts (MILVUS_METRICS names the ones this repository reads)`,
    ],
  },
  {
    name: 'metrics-exist: an alert on a deprecated metric',
    cluster: S,
    change: (_, g) =>
      void (g('monitoring-config/prometheusrule-milvus-milvus-alerts.yaml').spec.groups[0].rules[0].expr = 'sum(milvus_datacoord_index_task_count) > 10'),
    expected: [
      `${S}/monitoring-config/prometheusrule-milvus-milvus-alerts.yaml: PrometheusRule milvus/milvus-alerts: spec.groups[0].rules[0].expr: [metrics-exist] milvus_datacoord_index_task_count is deprecated in Milvus 2.5.26: registered but never set (only Delete calls in internal/datacoord/index_meta.go); use milvus_datacoord_task_count{task_type="JobTypeIndexJob"}: use a metric of libs/milvus metric-catalog.ts (MILVUS_METRICS names the ones this repository reads)`,
    ],
  },
  {
    name: 'references-exist: an admin Secret nothing creates',
    change: (_, g) => void (g('monitoring/helmrelease-flux-system-kube-prometheus-stack.yaml').spec.values.grafana.admin.existingSecret = 'grafana-admin'),
    expected: [
      `${P}/monitoring/helmrelease-flux-system-kube-prometheus-stack.yaml: HelmRelease flux-system/kube-prometheus-stack: spec.values.grafana.admin.existingSecret: [references-exist] Secret monitoring/grafana-admin is neither rendered nor provided to this cluster: render it or declare who provides it (libs/spec provided.ts)`,
    ],
  },
  {
    name: 'references-exist: a ServiceAccount that is not rendered',
    change: (fs) => fs.filter((f) => !f.file.endsWith('serviceaccount-milvus-etcd-backup.yaml')),
    expected: [
      `${P}/milvus/cronjob-milvus-milvus-etcd-backup.yaml: CronJob milvus/milvus-etcd-backup: spec.jobTemplate.spec.template.spec.serviceAccountName: [irsa-for-s3] pod talks to S3 but ServiceAccount etcd-backup is not rendered with an eks.amazonaws.com/role-arn annotation: bind it to the IRSA role from the names module`,
      `${P}/milvus/cronjob-milvus-milvus-etcd-backup.yaml: CronJob milvus/milvus-etcd-backup: spec.jobTemplate.spec.template.spec.serviceAccountName: [references-exist] ServiceAccount milvus/etcd-backup is neither rendered nor provided to this cluster: render it or declare who provides it (libs/spec provided.ts)`,
    ],
  },
  {
    name: 'crd-installed-first: a NodePool applied with the Karpenter release',
    change: (fs) => fs.map((f) => (f.file.endsWith('nodepool-query.yaml') ? { ...f, file: `${P}/node-provisioning/nodepool-query.yaml` } : f)),
    expected: [
      `${P}/node-provisioning/nodepool-query.yaml: NodePool query: apiVersion: [crd-installed-first] NodePool is applied by node-provisioning, the Kustomization whose chart karpenter installs its CRD, and Flux's dry-run rejects the unknown kind: move it to an app that dependsOn node-provisioning`,
    ],
  },
  {
    name: 'pod-fits-instance: a query pod larger than any query instance',
    change: (_, g) =>
      void Object.assign(g(QN).spec.template.spec.containers[0].resources, {
        requests: { cpu: '7', memory: '3000Gi' },
        limits: { cpu: '7', memory: '3000Gi' },
      }),
    expected: [
      `${QNF}: spec.template.spec.containers: [pod-fits-instance] requests 7 CPU, 3000 GiB memory, which fit no query instance Karpenter may launch (the largest, r6id.4xlarge, leaves 15.59 CPU, 114.9 GiB, 796 GiB to pods): lower the requests, or allow a larger instance type (libs/nodes classes.ts and capacity.ts)`,
    ],
  },
  {
    name: 'controller-off-own-nodes',
    change: (_, g) =>
      void g(
        'node-provisioning/helmrelease-flux-system-karpenter.yaml',
      ).spec.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions.pop(),
    expected: [
      `${P}/node-provisioning/helmrelease-flux-system-karpenter.yaml: HelmRelease flux-system/karpenter: spec.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]: [controller-off-own-nodes] lets Karpenter run on a node it launched: add {key: karpenter.sh/nodepool, operator: DoesNotExist} to every term`,
    ],
  },
  {
    name: 'data-kept-on-prune',
    change: (_, g) => void delete g('milvus/statefulset-milvus-milvus-etcd.yaml').metadata.annotations,
    expected: [
      `${P}/milvus/statefulset-milvus-milvus-etcd.yaml: StatefulSet milvus/milvus-etcd: metadata.annotations["kustomize.toolkit.fluxcd.io/prune"]: [data-kept-on-prune] holds persistent data: annotate it kustomize.toolkit.fluxcd.io/prune: disabled so Flux never prunes it`,
    ],
  },
  {
    name: 'helm-source-exists',
    change: (fs) => fs.filter((f) => !f.file.endsWith('helmrepository-flux-system-prometheus-community.yaml')),
    expected: [
      `${P}/autoscaling-controllers/helmrelease-flux-system-prometheus-adapter.yaml: HelmRelease flux-system/prometheus-adapter: spec.chart.spec.sourceRef: [helm-source-exists] chart source HelmRepository flux-system/prometheus-community is not rendered for this cluster: render it or fix the reference`,
      `${P}/monitoring/helmrelease-flux-system-kube-prometheus-stack.yaml: HelmRelease flux-system/kube-prometheus-stack: spec.chart.spec.sourceRef: [helm-source-exists] chart source HelmRepository flux-system/prometheus-community is not rendered for this cluster: render it or fix the reference`,
    ],
  },
  {
    name: 'image-pinned',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].image = 'milvusdb/milvus:latest'),
    expected: [`${QNF}: ${C0}.image: [image-pinned] image "milvusdb/milvus:latest" is not pinned: use an exact version tag or a digest`],
  },
  {
    name: 'pod-security: privilege escalation',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true),
    expected: [
      `${QNF}: ${C0}.securityContext.allowPrivilegeEscalation: [pod-security] container "querynode" allows privilege escalation: set allowPrivilegeEscalation: false`,
    ],
  },
  {
    name: 'pod-security: writable root without a reason',
    change: (_, g) => void (g(QN).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
    expected: [
      `${QNF}: ${C0}.securityContext.readOnlyRootFilesystem: [pod-security] container "querynode" has a writable root filesystem: set readOnlyRootFilesystem: true, or annotate the workload with milvus-gitops.io/writable-root-filesystem: <why>`,
    ],
  },
  {
    name: 'pod-security: may run as root',
    change: (_, g) => {
      const pod = g(QN).spec.template.spec;
      delete pod.securityContext.runAsNonRoot;
      delete pod.containers[0].securityContext.runAsNonRoot;
    },
    expected: [`${QNF}: ${C0}.securityContext.runAsNonRoot: [pod-security] container "querynode" may run as root: set runAsNonRoot: true (pod or container)`],
  },
  {
    name: 'no-static-aws-credentials: key in the environment',
    change: (_, g) => void g(QN).spec.template.spec.containers[0].env.push({ name: 'AWS_ACCESS_KEY_ID', value: 'AKIA...' }),
    expected: [
      `${QNF}: ${C0}.env[2]: [no-static-aws-credentials] container "querynode" sets AWS_ACCESS_KEY_ID: remove it and bind the ServiceAccount to an IAM role (IRSA)`,
    ],
  },
  {
    name: 'no-static-aws-credentials: key in the Milvus config',
    change: (_, g) => {
      const cm = g('milvus/configmap-milvus-milvus-config.yaml');
      cm.data['user.yaml'] = cm.data['user.yaml'].replace('minio:\n', 'minio:\n  accessKeyID: AKIAEXAMPLE\n');
    },
    expected: [
      `${P}/milvus/configmap-milvus-milvus-config.yaml: ConfigMap milvus/milvus-config: data["user.yaml"]: [no-static-aws-credentials] config sets an S3 access key: remove it and set minio.useIAM: true`,
    ],
  },
  {
    name: 'irsa-for-s3',
    change: (_, g) => void delete g('milvus/serviceaccount-milvus-etcd-backup.yaml').metadata.annotations,
    expected: [
      `${P}/milvus/cronjob-milvus-milvus-etcd-backup.yaml: CronJob milvus/milvus-etcd-backup: spec.jobTemplate.spec.template.spec.serviceAccountName: [irsa-for-s3] pod talks to S3 but ServiceAccount etcd-backup has no eks.amazonaws.com/role-arn annotation: bind it to the IRSA role from the names module`,
    ],
  },
  {
    name: 'recommended-labels',
    change: (_, g) => void delete g('milvus/service-milvus-milvus-etcd.yaml').metadata.labels['app.kubernetes.io/part-of'],
    expected: [
      `${P}/milvus/service-milvus-milvus-etcd.yaml: Service milvus/milvus-etcd: metadata.labels["app.kubernetes.io/part-of"]: [recommended-labels] label app.kubernetes.io/part-of is missing: build labels with standardLabels() inside an AppChart`,
    ],
  },
  {
    name: 'namespace-exists',
    readiness: false,
    change: (fs) =>
      fs
        .filter((f) => !f.file.endsWith('flux-system/namespace-flux-system.yaml'))
        .filter((f) => f.object.metadata.namespace !== 'flux-system')
        .concat([
          {
            file: `${P}/flux-system/kustomization-flux-system-milvus.yaml`,
            object: files(P).find((f) => f.file.endsWith('kustomization-flux-system-milvus.yaml'))!.object,
          },
        ]),
    expected: [
      `${P}/flux-system/kustomization-flux-system-milvus.yaml: Kustomization flux-system/milvus: metadata.namespace: [namespace-exists] namespace flux-system is not rendered for this cluster: add a Namespace object`,
    ],
  },
  {
    name: 'unique-objects',
    change: (fs) => [
      ...fs,
      { file: `${P}/milvus/copy.yaml`, object: structuredClone(fs.find((f) => f.file.endsWith('service-milvus-milvus-etcd.yaml'))!.object) },
    ],
    expected: [
      `${P}/milvus/copy.yaml: Service milvus/milvus-etcd: metadata.name: [unique-objects] Service milvus/milvus-etcd is rendered twice: rename one of them`,
    ],
  },
];

describe('validation of the example clusters', () => {
  it.each(Object.keys(EXAMPLES))('passes %s clean', (cluster) => {
    expect(failuresAfter(cluster, () => undefined)).toEqual([]);
  });

  it('has a corpus of at least 30 broken objects', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CASES.map((c) => [c.name, c] as const))('rejects %s with its message', (_, c) => {
    expect(failuresAfter(c.cluster ?? P, c.change, c.withhold, c.readiness)).toEqual(c.expected);
  });
});
