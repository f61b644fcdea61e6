// Flux Helm objects for third-party controllers whose charts are the supported install path
// (prometheus-adapter, KEDA, Karpenter, kube-prometheus-stack). Values are typed by the caller.

import { kubeObject, PRUNE_DISABLED_ANNOTATION } from '@milvus-gitops/core';
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { FLUX_NAMESPACE } from './flux.js';

/** Props of HelmRepository (source.toolkit.fluxcd.io/v1). */
export interface HelmRepositoryProps {
  /** Object name; HelmReleases reference it. */
  readonly name: string;
  /** Chart repository URL (`https://...`, or `oci://...` with type oci). */
  readonly url: string;
  /** Repository type. @default 'default' (an HTTP index.yaml) */
  readonly type?: 'default' | 'oci';
  /** How often the index is refreshed. @default '12h' (charts are pinned; this only finds new versions) */
  readonly interval?: string;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
}

/** A Helm chart repository Flux reads charts from, kept in flux-system. */
export class HelmRepository extends Construct {
  readonly name: string;
  constructor(scope: Construct, id: string, props: HelmRepositoryProps) {
    super(scope, id);
    this.name = props.name;
    kubeObject<{ spec: { url: string; interval: string; type?: string } }>(this, 'Resource', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmRepository',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE, labels: props.labels },
      spec: { url: props.url, interval: props.interval ?? '12h', ...(props.type === 'oci' ? { type: 'oci' } : {}) },
    });
  }
}

/** A HelmRepository by name: one the same construct renders, or one another app of the cluster renders. */
export interface HelmRepositoryRef {
  /** Name of the HelmRepository in flux-system. */
  readonly name: string;
}

/**
 * The prometheus-community chart repository. The monitoring app renders it once; other apps
 * (prometheus-adapter) reference it by name, after monitoring in Flux's order.
 */
export const PROMETHEUS_COMMUNITY = { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' } as const;

/** Props of HelmRelease (helm.toolkit.fluxcd.io/v2). */
export interface HelmReleaseProps<V> {
  /** Release name (also the object name). */
  readonly name: string;
  /** Namespace the chart installs into (created if missing). */
  readonly targetNamespace: string;
  /** The repository holding the chart. */
  readonly repository: HelmRepositoryRef;
  /** Chart name in the repository. */
  readonly chart: string;
  /** Exact chart version: a render is a complete statement of what runs. */
  readonly version: string;
  /** Chart values, typed by the caller. */
  readonly values: V;
  /** Reconcile interval. @default '30m' */
  readonly interval?: string;
  /** How to handle the chart's CRDs on install and upgrade. @default 'CreateReplace' */
  readonly crds?: 'Skip' | 'Create' | 'CreateReplace';
  /** Other HelmReleases (in flux-system) that must be ready first. @default none */
  readonly dependsOn?: readonly string[];
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
  /**
   * The release holds data (persistent volumes): Flux never prunes it, since pruning a HelmRelease
   * uninstalls the chart. @default false
   */
  readonly holdsData?: boolean;
}

/** A Helm release reconciled by Flux; the object lives in flux-system, the workload in its target namespace. */
export class HelmRelease<V extends object> extends Construct {
  readonly apiObject: ApiObject;
  constructor(scope: Construct, id: string, props: HelmReleaseProps<V>) {
    super(scope, id);
    if (!/^[0-9]+\.[0-9]+\.[0-9]+/.test(props.version)) {
      throw new Error(`HelmRelease ${props.name}: version (${props.version}) must be an exact chart version`);
    }
    const crds = props.crds ?? 'CreateReplace';
    this.apiObject = kubeObject<{ spec: Record<string, unknown> }>(this, 'Resource', {
      apiVersion: 'helm.toolkit.fluxcd.io/v2',
      kind: 'HelmRelease',
      metadata: {
        name: props.name,
        namespace: FLUX_NAMESPACE,
        labels: props.labels,
        ...(props.holdsData ? { annotations: { ...PRUNE_DISABLED_ANNOTATION } } : {}),
      },
      spec: {
        releaseName: props.name,
        targetNamespace: props.targetNamespace,
        storageNamespace: props.targetNamespace,
        interval: props.interval ?? '30m',
        timeout: '10m',
        chart: {
          spec: {
            chart: props.chart,
            version: props.version,
            sourceRef: { kind: 'HelmRepository', name: props.repository.name, namespace: FLUX_NAMESPACE },
          },
        },
        install: { createNamespace: true, crds, remediation: { retries: 3 } },
        upgrade: { crds, remediation: { retries: 3, remediateLastFailure: true } },
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name, namespace: FLUX_NAMESPACE })) } : {}),
        values: props.values,
      },
    });
  }
}
