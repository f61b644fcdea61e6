// The plain shape of a rendered Kubernetes object, as tools and tests handle it after synthesis.

/** Object metadata fields the tools read. */
export interface ManifestMetadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

/** One Kubernetes object as plain JSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ManifestMetadata;
  [key: string]: unknown;
}

/** `Kind namespace/name` (or `Kind name` when cluster-scoped), how messages name an object. */
export function describeObject(m: Manifest): string {
  return m.metadata.namespace ? `${m.kind} ${m.metadata.namespace}/${m.metadata.name}` : `${m.kind} ${m.metadata.name}`;
}

/**
 * Annotation that keeps Flux from deleting an object when it leaves the render (a renamed app, a
 * moved object): kustomize-controller skips objects labelled or annotated
 * `kustomize.toolkit.fluxcd.io/prune: disabled` when it prunes (docs/spec/v1/kustomizations.md,
 * api/v1/kustomization_types.go DisabledValue). Every object that holds data carries it.
 */
export const PRUNE_DISABLED_ANNOTATION: Readonly<Record<string, string>> = { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
