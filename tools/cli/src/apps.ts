// The catalogue of deployable units rendered for every cluster. Each app names the apps it
// depends on; flux-system turns that into Kustomization dependsOn.

import { autoscalingApp, autoscalingControllersApp } from '@milvus-gitops/app-autoscaling';
import { fluxSystemApp } from '@milvus-gitops/app-flux-system';
import { milvusApp } from '@milvus-gitops/app-milvus';
import { monitoringApp, monitoringConfigApp } from '@milvus-gitops/app-monitoring';
import { nodePoolsApp, nodeProvisioningApp } from '@milvus-gitops/app-node-provisioning';
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
