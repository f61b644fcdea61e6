// The repository and its clusters on disk, shared with tools/infra through @milvus-gitops/workspace.
export { findRepoRoot, listClusters, loadClusterSpec, type ClusterSource } from '@milvus-gitops/workspace';
