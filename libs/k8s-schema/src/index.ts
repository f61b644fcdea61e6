// Public surface of @milvus-gitops/k8s-schema.

export { evaluateRules, rulesOnly } from './cel.js';
export type { CelRuleFailure } from './cel.js';
export { folderSource, PINNED_FILES, pullPinnedFiles, upstreamSource } from './source.js';
export type { PinnedFile, SchemaFile, SchemaSource, UpstreamOptions } from './source.js';
export { jsonPath, SchemaValidator } from './validator.js';
export type { SchemaValidatorOptions } from './validator.js';
export { CompileCache, defaultCacheDir, hashOf } from './compile-cache.js';
export type { Failure } from './validator.js';
