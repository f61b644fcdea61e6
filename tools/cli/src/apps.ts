// The catalogue of deployable units rendered for every cluster. Each app names the apps it
// depends on; flux-system turns that into Kustomization dependsOn.

import {
  autoscalingApp,
  autoscalingControllersApp,
  fluxSystemApp,
  milvusApp,
  monitoringApp,
  monitoringConfigApp,
  nodePoolsApp,
  nodeProvisioningApp,
} from '@milvus-gitops/apps';
import type { AppDefinition } from '@milvus-gitops/core';

/** The workload apps, each rendered to rendered/<cluster>/<app.name>/. */
export const WORKLOAD_APPS: readonly AppDefinition[] = [
  nodeProvisioningApp,
  nodePoolsApp,
  monitoringApp,
  milvusApp,
  monitoringConfigApp,
  autoscalingControllersApp,
  autoscalingApp,
];

/** Every app, the Flux wiring included. */
export const APPS: readonly AppDefinition[] = [...WORKLOAD_APPS, fluxSystemApp(WORKLOAD_APPS)];
