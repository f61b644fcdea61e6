// What a cluster has that its render does not hold: objects and services that the infrastructure
// stack, Kubernetes itself or a bootstrap step provide, each with who provides it. The readiness
// rules of `gitops validate` accept a reference only when the render or this list holds its target.

import { EBS_CSI_PROVISIONER, ebsCsiDriver } from './names.js';
import type { ResolvedClusterSpec } from './types.js';

/** One thing a cluster has from outside the render. */
export interface Provision {
  /** What it is: a Kubernetes kind, `CSIDriver` for a storage provisioner, `APIService` for an aggregated API. */
  readonly kind:
    | 'Secret'
    | 'ConfigMap'
    | 'ServiceAccount'
    | 'PriorityClass'
    | 'StorageClass'
    | 'IngressClass'
    | 'CSIDriver'
    | 'APIService'
    | 'CustomResourceDefinitionGroup';
  /** Namespace, for namespaced kinds. */
  readonly namespace?: string;
  readonly name: string;
  /** Who provides it, for the message when it goes missing. */
  readonly by: string;
}

/** What every Kubernetes cluster has. */
export const KUBERNETES_PROVISIONS: readonly Provision[] = [
  { kind: 'PriorityClass', name: 'system-cluster-critical', by: 'Kubernetes' },
  { kind: 'PriorityClass', name: 'system-node-critical', by: 'Kubernetes' },
];

/** What a cluster built from this spec has besides its render. */
export function clusterProvisions(spec: ResolvedClusterSpec): Provision[] {
  return [
    ...KUBERNETES_PROVISIONS,
    { kind: 'CSIDriver', name: EBS_CSI_PROVISIONER, by: `the EKS add-on ${ebsCsiDriver(spec).addon} of the infrastructure stack (tools/infra)` },
    { kind: 'Secret', namespace: 'flux-system', name: spec.gitops.secretRef, by: 'Flux bootstrap: the Git deploy key (README, "Bootstrapping Flux")' },
    // Flux's own CRDs come with `flux install`, before anything of the render is applied.
    { kind: 'CustomResourceDefinitionGroup', name: 'source.toolkit.fluxcd.io', by: 'flux install' },
    { kind: 'CustomResourceDefinitionGroup', name: 'kustomize.toolkit.fluxcd.io', by: 'flux install' },
    { kind: 'CustomResourceDefinitionGroup', name: 'helm.toolkit.fluxcd.io', by: 'flux install' },
  ];
}
