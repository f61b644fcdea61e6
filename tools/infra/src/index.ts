// Public surface of @milvus-gitops/infra.

export { crossCheck, discoveryCheck, taggedResources } from './crosscheck.js';
export type { RenderedNodeClass, RenderedServiceAccount, SelectorTerm } from './crosscheck.js';
export { ClusterStack, EPHEMERAL_STORAGE_TAG, karpenterControllerStatements, nodeGroupEphemeralStorage, nvmeRaid0UserData, s3Statements, VPC_CIDR } from './stack.js';
export type { ClusterStackProps, StateBackend } from './stack.js';
export { readStack, synthStacks } from './synth.js';
export { defaultMirror, mirroredAwsVersions, validateStacks } from './validate.js';
export type { StackValidation, TerraformValidateOptions } from './validate.js';
