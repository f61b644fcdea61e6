// The contract of a deployable unit: a function of a resolved spec that adds cdk8s charts, and the
// synthesis of such a unit into plain, validated objects. Pure: no files, no clock, no environment.

import { App, Chart, type ChartProps } from 'cdk8s';
import type { Construct } from 'constructs';
import { MANAGED_BY, type ResolvedClusterSpec } from '@milvus-gitops/spec';
import { CLUSTER_LABEL } from './labels.js';
import type { Manifest } from './manifest.js';

/** One deployable unit (rendered to rendered/<cluster>/<name>/, reconciled by one Flux Kustomization). */
export interface AppDefinition {
  /** Folder name under rendered/<cluster>/ and name of its Flux Kustomization. */
  readonly name: string;
  /** One line on what the unit runs. */
  readonly description: string;
  /**
   * Apps whose Flux Kustomizations must be ready before this one is applied (controllers and
   * CRDs before the objects that use them). @default none
   */
  readonly dependsOn?: readonly string[];
  /**
   * Whether the cluster runs this app at all (Karpenter NodePools only on Karpenter clusters).
   * Dependencies on an app a cluster does not run are dropped for that cluster. @default always
   */
  appliesTo?(spec: ResolvedClusterSpec): boolean;
  /** Adds this unit's charts for a cluster to `scope`. */
  build(scope: Construct, spec: ResolvedClusterSpec): void;
}

/** Props of an app's chart. */
export interface AppChartProps extends ChartProps {
  /** The cluster being rendered. */
  readonly spec: ResolvedClusterSpec;
  /** The app the chart belongs to (`app.kubernetes.io/part-of`). */
  readonly app: string;
}

/** A chart that labels every object with the cluster, the app and the manager. */
export class AppChart extends Chart {
  /** The cluster being rendered. */
  readonly spec: ResolvedClusterSpec;

  constructor(scope: Construct, id: string, props: AppChartProps) {
    super(scope, id, {
      ...props,
      disableResourceNameHashes: true,
      labels: {
        'app.kubernetes.io/managed-by': MANAGED_BY,
        'app.kubernetes.io/part-of': props.app,
        [CLUSTER_LABEL]: props.spec.name,
        ...props.labels,
      },
    });
    this.spec = props.spec;
  }
}

/** The apps a cluster runs, in catalogue order. */
export function appsFor(apps: readonly AppDefinition[], spec: ResolvedClusterSpec): AppDefinition[] {
  return apps.filter((a) => a.appliesTo?.(spec) ?? true);
}

/** Raised when constructs report validation errors during synthesis. */
export class SynthesisError extends Error {
  constructor(
    readonly app: string,
    readonly errors: readonly string[],
  ) {
    super(`app ${app}: ${errors.join('; ')}`);
    this.name = 'SynthesisError';
  }
}

/** Synthesizes one app for one cluster into plain objects, running every construct validation. */
export function synthApp(def: AppDefinition, spec: ResolvedClusterSpec): Manifest[] {
  const app = new App({ recordConstructMetadata: false });
  def.build(app, spec);
  const errors: string[] = [];
  for (const c of app.node.findAll()) {
    for (const message of c.node.validate()) errors.push(`${c.node.path}: ${message}`);
  }
  if (errors.length > 0) throw new SynthesisError(def.name, errors);
  return app.charts.flatMap((chart) => chart.toJson() as Manifest[]);
}
