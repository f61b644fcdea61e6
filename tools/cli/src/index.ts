// Public surface of @milvus-gitops/cli, for the end-to-end tests and other tools.

export { APPS, WORKLOAD_APPS } from './apps.js';
export { DEFAULT_LIST_KEYS, diffTrees, formatMarkdown, formatText, listKeysOf, readRenderedTree, renderRef, summarize } from './diff.js';
export type { ListKeys } from './diff.js';
export { diffStacks, formatRisksMarkdown, formatRisksText, MIN_25_FOR_26, readStacks, riskyChanges, STATEFUL_RESOURCE_TYPES } from './risk.js';
export type { Risk, StackDiff } from './risk.js';
export type { ClusterDiff, FieldChange, ObjectDiff } from './diff.js';
export { git, GitError } from './git.js';
export { diffCommand, main, publishCommand, renderCommand, s3CheckCommand, validateCommand } from './main.js';
export type { DiffOptions, PublishCommandOptions, RenderOptions, S3CheckCommandOptions, ValidateOptions } from './main.js';
export { parseCheck, publish, PublishError } from './publish.js';
export type { PublishOptions, PublishResult } from './publish.js';
export { RenderError, renderCluster, writeRendered } from './render.js';
export type { RenderedCluster, RenderedFile } from './render.js';
export { fileNameOf, toYaml } from './serialize.js';
export { findRepoRoot, listClusters, loadClusterSpec } from './workspace.js';
export {
  formatFailure,
  PARALLEL_MIN_FILES,
  resolveSchemaLocation,
  resolveSchemaSource,
  schemaMinorFor,
  validateCluster,
  validatePaths,
  validatorFor,
} from './validation.js';
export type { ClusterFacts, ValidatePathsOptions, ValidatePathsResult, ValidationFailure } from './validation.js';
export { formatProblem, groupOf, listInputFiles, parseInput } from './inputs.js';
export type { InputFile, InputObject, InputProblem } from './inputs.js';
export { classify, DATA_KINDS, formatS3Report, s3Check, S3CheckError } from './s3-check.js';
export type { CheckStatus, DataKind, PostureCheck, S3CheckOptions, S3Report, Usage } from './s3-check.js';
