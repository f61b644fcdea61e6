// Versions this repository knows how to render, in one place so that an upgrade is one reviewed diff.

import type { KubernetesVersion, MilvusMinor } from './types.js';

/**
 * EKS minors a cluster may run. The floor is 1.29, the API level of cdk8s-plus-29 (objects are
 * rendered against that API); the ceiling is the newest minor the validator has schemas and the
 * Cluster Autoscaler has a release for. Keep in step with the EKS release calendar.
 */
export const KUBERNETES_VERSION_LIST = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'] as const;

/** KUBERNETES_VERSION_LIST as a list of KubernetesVersion (the type the ClusterSpec declares from it). */
export const KUBERNETES_VERSIONS: readonly KubernetesVersion[] = KUBERNETES_VERSION_LIST;

/** Milvus minors and the topology each runs (see DESIGN.md, "Milvus"). */
export const MILVUS_MINORS: readonly MilvusMinor[] = ['2.5', '2.6'];

/** The Milvus image repository; the tag is `v<version>` from the spec. */
export const MILVUS_IMAGE_REPOSITORY = 'milvusdb/milvus';

/** The image a cluster's Milvus runs: the exact release the spec pins. */
export function milvusImage(version: string): string {
  return `${MILVUS_IMAGE_REPOSITORY}:v${version}`;
}
