// The example clusters as their packages export them.
import { cluster as dev } from '@milvus-gitops/cluster-dev-us-west-2';
import { cluster as prod } from '@milvus-gitops/cluster-prod-us-east-1';
import { cluster as staging } from '@milvus-gitops/cluster-staging-eu-west-1';
import type { ClusterSpec } from '@milvus-gitops/spec';

export const EXAMPLES: Readonly<Record<string, ClusterSpec>> = {
  'dev-us-west-2': dev,
  'prod-us-east-1': prod,
  'staging-eu-west-1': staging,
};
