// Public surface of @milvus-gitops/cli, for the end-to-end tests and other tools.

export { APPS } from './apps.js';
export { main, renderCommand } from './main.js';
export type { RenderOptions } from './main.js';
export { RenderError, renderCluster, writeRendered } from './render.js';
export type { RenderedCluster, RenderedFile } from './render.js';
export { fileNameOf, toYaml } from './serialize.js';
export { findRepoRoot, listClusters, loadClusterSpec } from './workspace.js';
