// The catalogue of deployable units rendered for every cluster, in reconcile order.

import { milvusApp } from '@milvus-gitops/app-milvus';
import type { AppDefinition } from '@milvus-gitops/core';

/** Every app, each rendered to rendered/<cluster>/<app.name>/. */
export const APPS: readonly AppDefinition[] = [milvusApp];
