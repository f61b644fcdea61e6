// Public surface of @milvus-gitops/flux.

export { FLUX_NAMESPACE, GitRepository, Kustomization } from './flux.js';
export type { GitRepositoryProps, GitRepositorySpec, KustomizationProps, KustomizationSpec } from './flux.js';
export { HelmRelease, HelmRepository, PROMETHEUS_COMMUNITY } from './helm.js';
export type { HelmReleaseProps, HelmRepositoryProps, HelmRepositoryRef } from './helm.js';
