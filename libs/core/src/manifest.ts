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
