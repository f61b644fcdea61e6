// Public surface of @milvus-gitops/infra.

export { autoscalerCheck, crossCheck, discoveryCheck, taggedResources } from './crosscheck.js';
export type { RenderedNodeClass, RenderedServiceAccount, SelectorTerm } from './crosscheck.js';
export {
  ClusterStack,
  controlPlaneLogRetentionDays,
  EPHEMERAL_STORAGE_TAG,
  karpenterControllerStatements,
  NODE_ROLE_POLICIES,
  nodeGroupEphemeralStorage,
  nvmeRaid0UserData,
  s3Statements,
} from './stack.js';
export { etcdBackupLockDays, etcdBackupStorage } from './backup.js';
export { subnetLayout } from './network.js';
export type { SubnetLayout } from './network.js';
export type { ClusterStackProps, StateBackend } from './stack.js';
export { readStack, synthBootstrapStacks, synthStacks } from './synth.js';
export { BootstrapStack, bootstrapStackId, bootstrapTargets, stateBucketName } from './bootstrap.js';
export type { BootstrapStackProps } from './bootstrap.js';
export { defaultMirror, mirroredAwsVersions, validateStacks } from './validate.js';
export type { StackValidation, TerraformValidateOptions } from './validate.js';
