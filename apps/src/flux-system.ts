// The flux-system app: how a cluster reconciles itself from branch `rendered`. A GitRepository on
// that branch, a Kustomization for this folder (Flux manages its own wiring after bootstrap) and
// one Kustomization per app, ordered by each app's dependsOn.

import * as kplus from 'cdk8s-plus-29';
import { AppChart, appsFor, standardLabels, type AppDefinition } from '@milvus-gitops/core';
import { FLUX_NAMESPACE, GitRepository, Kustomization } from '@milvus-gitops/flux';
import type { ResolvedClusterSpec } from '@milvus-gitops/spec';
import type { Construct } from 'constructs';

/** Name of this app, of its folder and of the GitRepository every Kustomization reads. */
export const FLUX_SYSTEM_APP = 'flux-system';

/** Path of an app's folder inside the rendered branch. */
export function appPath(cluster: string, app: string): string {
  return `./${cluster}/${app}`;
}

/** The flux-system app for a catalogue of apps; refuses unknown or cyclic dependencies. */
export function fluxSystemApp(apps: readonly AppDefinition[]): AppDefinition {
  const known = new Set(apps.map((a) => a.name));
  for (const app of apps) {
    for (const dep of app.dependsOn ?? []) {
      if (!known.has(dep)) throw new Error(`app ${app.name}: dependsOn names ${dep}, which is not an app`);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, trail: string[]): void => {
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`apps depend on each other in a cycle: ${[...trail, name].join(' -> ')}`);
    visiting.add(name);
    for (const dep of apps.find((a) => a.name === name)?.dependsOn ?? []) visit(dep, [...trail, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const app of apps) visit(app.name, []);

  return {
    name: FLUX_SYSTEM_APP,
    description: 'Flux source and Kustomizations that reconcile the rendered branch',
    build(scope: Construct, spec: ResolvedClusterSpec) {
      const chart = new AppChart(scope, FLUX_SYSTEM_APP, { cluster: spec.name, app: FLUX_SYSTEM_APP });
      const labels = standardLabels({ name: 'flux', instance: spec.name, component: 'sync' });
      new kplus.Namespace(chart, 'Namespace', { metadata: { name: FLUX_NAMESPACE, labels } });
      new GitRepository(chart, 'Source', {
        name: FLUX_SYSTEM_APP,
        url: spec.gitops.repositoryUrl,
        branch: spec.gitops.branch,
        secretRef: spec.gitops.secretRef,
        interval: spec.gitops.interval,
        labels,
      });
      // Never prune this one: removing the folder by mistake must not uninstall the cluster's wiring.
      new Kustomization(chart, 'Self', {
        name: FLUX_SYSTEM_APP,
        path: appPath(spec.name, FLUX_SYSTEM_APP),
        sourceRef: FLUX_SYSTEM_APP,
        interval: spec.gitops.interval,
        prune: false,
        labels,
      });
      const running = appsFor(apps, spec);
      const runs = new Set(running.map((a) => a.name));
      for (const app of running) {
        new Kustomization(chart, app.name, {
          name: app.name,
          path: appPath(spec.name, app.name),
          sourceRef: FLUX_SYSTEM_APP,
          interval: spec.gitops.interval,
          dependsOn: app.dependsOn?.filter((d) => runs.has(d)),
          labels,
        });
      }
    },
  };
}
