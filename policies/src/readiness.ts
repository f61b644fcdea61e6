// Readiness rules: would a new cluster built from this render and its infrastructure stack come up
// with nobody typing kubectl? Each rule judges one cluster's objects together with what the cluster
// has from outside the render (see Provision in libs/spec): a reference to something neither holds,
// a metric nobody serves, or a custom resource applied before its CRD stalls the first boot.

import type { V1PodSpec, V1Volume } from '@kubernetes/client-node';
import type { Manifest } from '@milvus-gitops/core/manifest';
import { metricProblems } from '@milvus-gitops/milvus/metric-catalog';
import { allocatable, allowedInstanceTypes, packing } from '@milvus-gitops/nodes/capacity';
import { NODE_CLASS_LABEL, NODE_CLASSES, parseQuantity, type NodeClass } from '@milvus-gitops/spec';
import type { Provision } from '@milvus-gitops/spec';
import { podTemplates, type Violation } from './policies.js';

/** What a readiness rule knows about the cluster besides its objects. */
export interface ClusterContext {
  /** What the cluster has from outside the render. */
  readonly provided: readonly Provision[];
  /** The app (Flux Kustomization folder) an object belongs to, when known. */
  readonly appOf: (o: Manifest) => string | undefined;
  /** The exact Milvus release the cluster runs (whose metric catalog PromQL is checked against). */
  readonly milvusVersion: string;
  /** What launches the cluster's nodes (which instance types a node class may get). */
  readonly provisioner: 'karpenter' | 'cluster-autoscaler';
}

/** A rule over a cluster's objects and its context. */
export interface ReadinessRule {
  /** Stable id, quoted in every message. */
  readonly id: string;
  /** Why the rule exists, in one line. */
  readonly rationale: string;
  check(objects: readonly Manifest[], context: ClusterContext): Violation[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Obj = Record<string, any> & Manifest;

const has = (objects: readonly Manifest[], ctx: ClusterContext, kind: string, name: string, namespace?: string): boolean =>
  objects.some((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace)) ||
  ctx.provided.some((p) => p.kind === kind && p.name === name && (namespace === undefined || p.namespace === undefined || p.namespace === namespace));

const helmReleases = (objects: readonly Manifest[]) => (objects as Obj[]).filter((o) => o.kind === 'HelmRelease');
const chartOf = (o: Obj): string | undefined => o.spec?.chart?.spec?.chart;

/** Every StorageClass provisioner and IngressClass controller has its driver on the cluster. */
export const storageDriverInstalled: ReadinessRule = {
  id: 'storage-driver-installed',
  rationale:
    'A PersistentVolumeClaim of a class whose driver is not installed stays Pending, and so does every pod that mounts it; an Ingress of a class nobody serves gets no address.',
  check(objects, ctx) {
    const out: Violation[] = (objects as Obj[])
      .filter((o) => o.kind === 'StorageClass' && typeof o.provisioner === 'string' && !o.provisioner.startsWith('kubernetes.io/'))
      .filter((o) => !has(objects, ctx, 'CSIDriver', o.provisioner))
      .map((o) => ({
        object: o,
        path: 'provisioner',
        message: `no driver for ${o.provisioner} on this cluster: install it (for ebs.csi.aws.com, the EKS add-on aws-ebs-csi-driver in tools/infra) or render its chart`,
      }));
    for (const o of (objects as Obj[]).filter((x) => x.kind === 'Ingress' && x.spec?.ingressClassName)) {
      if (!has(objects, ctx, 'IngressClass', o.spec.ingressClassName)) {
        out.push({
          object: o,
          path: 'spec.ingressClassName',
          message: `IngressClass ${o.spec.ingressClassName} is neither rendered nor provided: install its controller (and class) or fix the name`,
        });
      }
    }
    return out;
  },
};

/** Every HPA metric has something that serves it. */
export const metricsServed: ReadinessRule = {
  id: 'metrics-served',
  rationale: 'An HPA metric nobody serves leaves the HPA unable to compute it, and Kubernetes then refuses to scale down.',
  check(objects) {
    const out: Violation[] = [];
    const releases = helmReleases(objects);
    const adapter = releases.find((o) => chartOf(o) === 'prometheus-adapter');
    const resourceProvider = releases.some((o) => chartOf(o) === 'metrics-server') || Boolean(adapter?.spec?.values?.rules?.resource);
    const served = (kind: 'custom' | 'external', name: string) =>
      ((adapter?.spec?.values?.rules?.[kind] ?? []) as { name?: { as?: string } }[]).some((r) => r.name?.as === name);
    for (const o of objects as Obj[]) {
      if (o.kind !== 'HorizontalPodAutoscaler') continue;
      ((o.spec?.metrics ?? []) as Obj[]).forEach((m, i) => {
        const path = `spec.metrics[${i}]`;
        if ((m.type === 'Resource' || m.type === 'ContainerResource') && !resourceProvider) {
          out.push({
            object: o,
            path,
            message: `${m.type} metric ${m.resource?.name ?? m.containerResource?.name} needs metrics.k8s.io, which nothing serves: render metrics-server`,
          });
        } else if ((m.type === 'Pods' || m.type === 'Object') && !served('custom', m.pods?.metric?.name ?? m.object?.metric?.name)) {
          out.push({
            object: o,
            path,
            message: `custom metric ${m.pods?.metric?.name ?? m.object?.metric?.name} is not served by a prometheus-adapter rule: declare it with the HPA so the adapter rule is generated`,
          });
        } else if (m.type === 'External' && !served('external', m.external?.metric?.name)) {
          out.push({
            object: o,
            path,
            message: `external metric ${m.external?.metric?.name} is not served by a prometheus-adapter rule: declare it with the HPA so the adapter rule is generated`,
          });
        }
      });
    }
    return out;
  },
};

/** Every Secret, ConfigMap, ServiceAccount, StorageClass and PriorityClass a workload needs exists. */
export const referencesExist: ReadinessRule = {
  id: 'references-exist',
  rationale: 'A pod that references a missing Secret, ConfigMap, ServiceAccount or class never starts, and every Kustomization after it waits.',
  check(objects, ctx) {
    const out: Violation[] = [];
    const need = (o: Manifest, path: string, kind: string, name: string | undefined, namespace?: string) => {
      if (!name || has(objects, ctx, kind, name, namespace)) return;
      out.push({
        object: o,
        path,
        message: `${kind} ${namespace ? `${namespace}/` : ''}${name} is neither rendered nor provided to this cluster: render it or declare who provides it (libs/spec provided.ts)`,
      });
    };
    for (const t of podTemplates(objects)) {
      const ns = t.object.metadata.namespace;
      const sa = t.spec.serviceAccountName;
      if (sa && sa !== 'default') need(t.object, `${t.path}.serviceAccountName`, 'ServiceAccount', sa, ns);
      need(t.object, `${t.path}.priorityClassName`, 'PriorityClass', t.spec.priorityClassName);
      (t.spec.volumes ?? []).forEach((v: V1Volume, i) => {
        if (v.secret && !v.secret.optional) need(t.object, `${t.path}.volumes[${i}].secret.secretName`, 'Secret', v.secret.secretName, ns);
        if (v.configMap && !v.configMap.optional) need(t.object, `${t.path}.volumes[${i}].configMap.name`, 'ConfigMap', v.configMap.name, ns);
      });
      [...(t.spec.initContainers ?? []), ...t.spec.containers].forEach((c, ci) => {
        (c.env ?? []).forEach((e, ei) => {
          const at = `${t.path}.containers[${ci}].env[${ei}].valueFrom`;
          if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional)
            need(t.object, `${at}.secretKeyRef`, 'Secret', e.valueFrom.secretKeyRef.name, ns);
          if (e.valueFrom?.configMapKeyRef && !e.valueFrom.configMapKeyRef.optional)
            need(t.object, `${at}.configMapKeyRef`, 'ConfigMap', e.valueFrom.configMapKeyRef.name, ns);
        });
      });
    }
    for (const o of objects as Obj[]) {
      if (o.kind === 'PersistentVolumeClaim') need(o, 'spec.storageClassName', 'StorageClass', o.spec?.storageClassName);
      if (o.kind === 'StatefulSet') {
        ((o.spec?.volumeClaimTemplates ?? []) as Obj[]).forEach((c, i) =>
          need(o, `spec.volumeClaimTemplates[${i}].spec.storageClassName`, 'StorageClass', c.spec?.storageClassName),
        );
      }
      if (o.kind === 'HelmRelease') {
        // Charts read an `existingSecret` (Grafana's admin password, for one) and never create it.
        const walk = (v: unknown, path: string): void => {
          if (!v || typeof v !== 'object') return;
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            if (k === 'existingSecret' && typeof x === 'string' && x) need(o, `${path}.${k}`, 'Secret', x, o.spec?.targetNamespace);
            else walk(x, `${path}.${k}`);
          }
        };
        walk(o.spec?.values, 'spec.values');
      }
    }
    return out;
  },
};

/** The chart that installs each API group's CRDs, by HelmRelease chart name. */
export const CRD_INSTALLERS: Readonly<Record<string, string>> = {
  'karpenter.sh': 'karpenter',
  'karpenter.k8s.aws': 'karpenter',
  'monitoring.coreos.com': 'kube-prometheus-stack',
  'keda.sh': 'keda',
};

/** Every custom resource is applied by a Kustomization that runs after the one installing its CRD. */
export const crdInstalledFirst: ReadinessRule = {
  id: 'crd-installed-first',
  rationale: "Flux's dry-run rejects a kind whose CRD is not installed yet: the whole Kustomization fails until someone intervenes.",
  check(objects, ctx) {
    const out: Violation[] = [];
    const kustomizations = (objects as Obj[]).filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));
    const appOfKustomization = (k: Obj) =>
      String(k.spec?.path ?? '')
        .split('/')
        .filter(Boolean)
        .pop();
    const deps = new Map(kustomizations.map((k) => [appOfKustomization(k), ((k.spec?.dependsOn ?? []) as { name: string }[]).map((d) => d.name)]));
    const nameToApp = new Map(kustomizations.map((k) => [k.metadata.name, appOfKustomization(k)]));
    const before = (app: string, seen = new Set<string>()): Set<string> => {
      for (const d of deps.get(app) ?? []) {
        const a = nameToApp.get(d) ?? d;
        if (!seen.has(a)) {
          seen.add(a);
          before(a, seen);
        }
      }
      return seen;
    };
    for (const o of objects) {
      const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '';
      const chart = CRD_INSTALLERS[group];
      if (!group.includes('.') || group.endsWith('.k8s.io') || ctx.provided.some((p) => p.kind === 'CustomResourceDefinitionGroup' && p.name === group))
        continue;
      const installer = chart ? helmReleases(objects).find((h) => chartOf(h) === chart) : undefined;
      if (!installer) {
        out.push({
          object: o,
          path: 'apiVersion',
          message: `nothing installs the CRDs of ${group}${chart ? ` (chart ${chart})` : ''} on this cluster: render its controller or declare the CRDs provided`,
        });
        continue;
      }
      const app = ctx.appOf(o);
      const installerApp = ctx.appOf(installer);
      if (!app || !installerApp) continue;
      if (app === installerApp) {
        out.push({
          object: o,
          path: 'apiVersion',
          message: `${o.kind} is applied by ${app}, the Kustomization whose chart ${chart} installs its CRD, and Flux's dry-run rejects the unknown kind: move it to an app that dependsOn ${installerApp}`,
        });
      } else if (!before(app).has(installerApp)) {
        out.push({
          object: o,
          path: 'apiVersion',
          message: `${o.kind} is applied by ${app}, which does not run after ${installerApp} (where chart ${chart} installs its CRD): add ${installerApp} to its dependsOn`,
        });
      }
    }
    return out;
  },
};

/** No controller can be scheduled onto nodes it provisions. */
export const controllerOffOwnNodes: ReadinessRule = {
  id: 'controller-off-own-nodes',
  rationale: 'A node provisioner running on a node it launched can consolidate that node away and take itself down with it.',
  check(objects) {
    const out: Violation[] = [];
    for (const o of helmReleases(objects).filter((h) => chartOf(h) === 'karpenter')) {
      const terms = o.spec?.values?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Obj[] | undefined;
      // No affinity in the values keeps the chart's default, which excludes Karpenter's nodes.
      if (terms === undefined) continue;
      terms.forEach((t, i) => {
        const excluded = ((t.matchExpressions ?? []) as Obj[]).some((e) => e.key === 'karpenter.sh/nodepool' && e.operator === 'DoesNotExist');
        if (!excluded) {
          out.push({
            object: o,
            path: `spec.values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[${i}]`,
            message: 'lets Karpenter run on a node it launched: add {key: karpenter.sh/nodepool, operator: DoesNotExist} to every term',
          });
        }
      });
    }
    return out;
  },
};

/** Every PromQL expression an object runs, with its JSON path: adapter rules, KEDA triggers, alerts, dashboards. */
export function promqlOf(o: Manifest): { path: string; expr: string }[] {
  const x = o as Obj;
  const out: { path: string; expr: string }[] = [];
  if (x.kind === 'HelmRelease' && chartOf(x) === 'prometheus-adapter') {
    for (const kind of ['custom', 'external'] as const) {
      ((x.spec?.values?.rules?.[kind] ?? []) as Obj[]).forEach((r, i) => {
        const at = `spec.values.rules.${kind}[${i}]`;
        const series = String(r.seriesQuery ?? '');
        out.push({ path: `${at}.seriesQuery`, expr: series });
        // The adapter puts the discovered series where the query says <<.Series>>.
        if (r.metricsQuery) out.push({ path: `${at}.metricsQuery`, expr: String(r.metricsQuery).replaceAll('<<.Series>>', series.split('{')[0]!) });
      });
    }
  } else if (x.kind === 'ScaledObject') {
    ((x.spec?.triggers ?? []) as Obj[]).forEach(
      (t, i) => t.type === 'prometheus' && out.push({ path: `spec.triggers[${i}].metadata.query`, expr: String(t.metadata?.query ?? '') }),
    );
  } else if (x.kind === 'PrometheusRule') {
    ((x.spec?.groups ?? []) as Obj[]).forEach((g, gi) =>
      ((g.rules ?? []) as Obj[]).forEach((r, ri) => out.push({ path: `spec.groups[${gi}].rules[${ri}].expr`, expr: String(r.expr ?? '') })),
    );
  } else if (x.kind === 'ConfigMap' && x.metadata.labels?.grafana_dashboard) {
    for (const [key, json] of Object.entries((x.data ?? {}) as Record<string, string>)) {
      let panels: Obj[];
      try {
        panels = (JSON.parse(json) as { panels?: Obj[] }).panels ?? [];
      } catch {
        continue; // not JSON: the dashboard tests say so
      }
      panels.forEach((p, pi) =>
        ((p.targets ?? []) as Obj[]).forEach((t, ti) => t.expr && out.push({ path: `data["${key}"].panels[${pi}].targets[${ti}].expr`, expr: String(t.expr) })),
      );
    }
  }
  return out;
}

/** Every metric a scaler, alert or dashboard reads exists in the cluster's Milvus release (or the exporters it runs). */
export const metricsExist: ReadinessRule = {
  id: 'metrics-exist',
  rationale: 'A query over a metric the release does not export returns nothing: the scaler never moves, the alert never fires, the panel stays empty.',
  check(objects, ctx) {
    const out: Violation[] = [];
    for (const o of objects) {
      for (const { path, expr } of promqlOf(o)) {
        for (const p of metricProblems(ctx.milvusVersion, [expr])) {
          out.push({
            object: o,
            path,
            message: `${p.metric} ${p.problem}: use a metric of libs/milvus metric-catalog.ts (MILVUS_METRICS names the ones this repository reads)`,
          });
        }
      }
    }
    return out;
  },
};

/** The node class a pod must run on (required node affinity or node selector on the class label). */
export function nodeClassOf(spec: V1PodSpec): NodeClass | undefined {
  const fromSelector = spec.nodeSelector?.[NODE_CLASS_LABEL];
  const fromAffinity = (spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [])
    .flatMap((t) => t.matchExpressions ?? [])
    .find((e) => e.key === NODE_CLASS_LABEL && e.operator === 'In' && e.values?.length === 1)?.values?.[0];
  const c = fromSelector ?? fromAffinity;
  return c && c in NODE_CLASSES ? (c as NodeClass) : undefined;
}

/** A request in units of `scale`; 0 when absent or not a quantity (the schemas report that). */
const quantity = (q: unknown, scale: number): number => (parseQuantity(q) ?? 0) / scale;

/** Every pod fits at least one instance type its node class may get, after what the node keeps. */
export const podFitsInstance: ReadinessRule = {
  id: 'pod-fits-instance',
  rationale: 'A pod larger than every instance its pool may launch stays Pending forever, however far the autoscaler scales.',
  check(objects, ctx) {
    const out: Violation[] = [];
    for (const t of podTemplates(objects)) {
      const nodeClass = nodeClassOf(t.spec);
      if (!nodeClass) continue;
      // Kubernetes' effective request: the larger of the largest init container and the sum of the containers.
      const sum = (key: string, scale: number) => {
        const main = t.spec.containers.reduce((n, c) => n + quantity((c.resources?.requests as Obj | undefined)?.[key], scale), 0);
        const init = Math.max(0, ...(t.spec.initContainers ?? []).map((c) => quantity((c.resources?.requests as Obj | undefined)?.[key], scale)));
        return Math.max(main, init);
      };
      const cpu = sum('cpu', 1);
      const memGi = sum('memory', 2 ** 30);
      const ephGi = sum('ephemeral-storage', 2 ** 30);
      const types = allowedInstanceTypes(nodeClass, ctx.provisioner);
      const pod = { cpu: String(cpu), memory: `${memGi}Gi`, ...(ephGi > 0 ? { ephemeralStorage: `${ephGi}Gi` } : {}) };
      if (types.length === 0 || types.some(([, it]) => packing(it, pod).pods >= 1)) continue;
      const [name, largest] = types.sort(([, a], [, b]) => b.vcpu - a.vcpu || b.memoryGi - a.memoryGi)[0]!;
      const a = allocatable(largest);
      out.push({
        object: t.object,
        path: `${t.path}.containers`,
        message: `requests ${cpu} CPU, ${memGi} GiB memory${ephGi ? ` and ${ephGi} GiB ephemeral storage` : ''}, which fit no ${nodeClass} instance ${ctx.provisioner === 'karpenter' ? 'Karpenter' : 'the Cluster Autoscaler'} may launch (the largest, ${name}, leaves ${(a.cpuMillis / 1000).toFixed(2)} CPU, ${(a.memoryMi / 1024).toFixed(1)} GiB, ${a.ephemeralGi.toFixed(0)} GiB to pods): lower the requests, or allow a larger instance type (libs/nodes classes.ts and capacity.ts)`,
      });
    }
    return out;
  },
};

/** The readiness layer, in the order failures are reported. */
export const READINESS_RULES: readonly ReadinessRule[] = [
  storageDriverInstalled,
  metricsServed,
  metricsExist,
  referencesExist,
  crdInstalledFirst,
  controllerOffOwnNodes,
  podFitsInstance,
];

/** Runs the readiness rules over one cluster's objects; messages carry the rule id like the policies'. */
export function runReadiness(
  objects: readonly Manifest[],
  context: ClusterContext,
  rules: readonly ReadinessRule[] = READINESS_RULES,
): (Violation & { policy: string })[] {
  return rules.flatMap((r) => r.check(objects, context).map((v) => ({ ...v, policy: r.id, message: `[${r.id}] ${v.message}` })));
}
