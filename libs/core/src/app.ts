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
  /**
   * The name of the cluster being rendered (the cluster label of every object).
   * @default - required, no default
   */
  readonly cluster: string;
  /**
   * The app the chart belongs to (`app.kubernetes.io/part-of`).
   * @default - required, no default
   */
  readonly app: string;
}

/** A chart that labels every object with the cluster, the app and the manager. */
export class AppChart extends Chart {
  /** The name of the cluster being rendered. */
  readonly cluster: string;
  /** The app (Flux unit) the chart belongs to. */
  readonly app: string;

  constructor(scope: Construct, id: string, props: AppChartProps) {
    super(scope, id, {
      ...props,
      disableResourceNameHashes: true,
      labels: {
        'app.kubernetes.io/managed-by': MANAGED_BY,
        'app.kubernetes.io/part-of': props.app,
        [CLUSTER_LABEL]: props.cluster,
        ...props.labels,
      },
    });
    this.cluster = props.cluster;
    this.app = props.app;
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

/** The app of a chart made by AppChart. */
function appOf(scope: unknown): string | undefined {
  return scope instanceof AppChart ? (scope as AppChart).app : undefined;
}

/** What one app of a cluster synthesized to, or why it could not. */
export type AppSynthesis = { readonly app: string; readonly objects: Manifest[] } | { readonly app: string; readonly errors: readonly string[] };

/**
 * Synthesizes the apps of one cluster in one cdk8s App, one Chart per app (a Flux unit): later
 * apps can reach the constructs of earlier ones (an autoscaler its workload). Every construct
 * validation runs; each problem is attributed to the app whose chart holds the construct.
 */
export function synthCluster(defs: readonly AppDefinition[], spec: ResolvedClusterSpec): AppSynthesis[] {
  const app = new App({ recordConstructMetadata: false });
  const errors = new Map<string, string[]>(defs.map((d) => [d.name, []]));
  for (const def of defs) {
    try {
      def.build(app, spec);
    } catch (e) {
      errors.get(def.name)!.push((e as Error).message);
    }
  }
  const chartsOf = new Map<string, Chart[]>(defs.map((d) => [d.name, []]));
  for (const chart of app.charts) {
    // A chart that is not an AppChart can only belong to an app rendered alone.
    const owner = appOf(chart) ?? (defs.length === 1 ? defs[0]!.name : undefined);
    const list = owner !== undefined ? chartsOf.get(owner) : undefined;
    if (!list) throw new Error(`chart ${chart.node.path} belongs to no app of this render (AppChart app "${String(owner)}")`);
    list.push(chart);
  }
  for (const c of app.node.findAll()) {
    const messages = c.node.validate();
    if (messages.length === 0) continue;
    const owner = appOf(c.node.scopes[1]) ?? defs[0]!.name;
    for (const message of messages) errors.get(owner)?.push(`${c.node.path}: ${message}`);
  }
  return defs.map((d) => {
    const problems = errors.get(d.name)!;
    if (problems.length > 0) return { app: d.name, errors: problems };
    return { app: d.name, objects: chartsOf.get(d.name)!.flatMap((chart) => chart.toJson() as Manifest[]) };
  });
}

/** Synthesizes one app for one cluster into plain objects, running every construct validation. */
export function synthApp(def: AppDefinition, spec: ResolvedClusterSpec): Manifest[] {
  const [result] = synthCluster([def], spec);
  if ('errors' in result!) throw new SynthesisError(def.name, result.errors);
  return result!.objects;
}
