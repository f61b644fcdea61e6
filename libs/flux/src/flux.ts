// Flux objects as typed constructs: the source of rendered manifests, the Kustomizations that
// apply them in order, and Helm sources/releases for third-party controllers.

import { kubeObject } from '@milvus-gitops/core';
import type { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** Namespace Flux runs in and keeps its objects in. */
export const FLUX_NAMESPACE = 'flux-system';

/** The fields of a GitRepository spec this repository sets (CRD: source.toolkit.fluxcd.io/v1). */
export interface GitRepositorySpec {
  url: string;
  ref: { branch: string };
  interval: string;
  timeout: string;
  secretRef: { name: string };
}

/** The fields of a Kustomization spec this repository sets (CRD: kustomize.toolkit.fluxcd.io/v1). */
export interface KustomizationSpec {
  interval: string;
  retryInterval: string;
  timeout: string;
  path: string;
  prune: boolean;
  wait: boolean;
  sourceRef: { kind: 'GitRepository'; name: string };
  dependsOn?: { name: string }[];
}

/** Props of GitRepository (source.toolkit.fluxcd.io/v1). */
export interface GitRepositoryProps {
  /** Object name. */
  readonly name: string;
  /** Repository URL (`ssh://` or `https://`). */
  readonly url: string;
  /** Branch to track. */
  readonly branch: string;
  /** Secret in flux-system with the deploy key or token; created out of band, never rendered. */
  readonly secretRef: string;
  /** Poll interval (`5m`). */
  readonly interval: string;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
}

/** A Flux GitRepository source. */
export class GitRepository extends Construct {
  readonly apiObject: ApiObject;
  constructor(scope: Construct, id: string, props: GitRepositoryProps) {
    super(scope, id);
    this.apiObject = kubeObject<{ spec: GitRepositorySpec }>(this, 'Resource', {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE, labels: props.labels },
      spec: {
        url: props.url,
        ref: { branch: props.branch },
        interval: props.interval,
        timeout: '60s',
        secretRef: { name: props.secretRef },
      },
    });
  }
}

/** Props of Kustomization (kustomize.toolkit.fluxcd.io/v1). */
export interface KustomizationProps {
  /** Object name (the app name). */
  readonly name: string;
  /** Path inside the source (`./<cluster>/<app>`). */
  readonly path: string;
  /** Name of the GitRepository in flux-system. */
  readonly sourceRef: string;
  /** Reconcile interval. */
  readonly interval: string;
  /** Kustomizations that must be ready first (controllers and CRDs before their users). @default none */
  readonly dependsOn?: readonly string[];
  /** How long to wait for the objects to become ready. @default '10m' */
  readonly timeout?: string;
  /** Delete objects removed from the source. @default true */
  readonly prune?: boolean;
  /** Wait for every applied object to be ready (health checks on all of them). @default true */
  readonly wait?: boolean;
  /** Labels. @default none */
  readonly labels?: Record<string, string>;
}

/** A Flux Kustomization applying one folder of the rendered branch. */
export class Kustomization extends Construct {
  readonly apiObject: ApiObject;
  constructor(scope: Construct, id: string, props: KustomizationProps) {
    super(scope, id);
    this.apiObject = kubeObject<{ spec: KustomizationSpec }>(this, 'Resource', {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: props.name, namespace: FLUX_NAMESPACE, labels: props.labels },
      spec: {
        interval: props.interval,
        retryInterval: '2m',
        timeout: props.timeout ?? '10m',
        path: props.path,
        prune: props.prune ?? true,
        wait: props.wait ?? true,
        sourceRef: { kind: 'GitRepository', name: props.sourceRef },
        ...(props.dependsOn?.length ? { dependsOn: props.dependsOn.map((name) => ({ name })) } : {}),
      },
    });
  }
}
