// Typed raw objects: the Kubernetes API types of @kubernetes/client-node describe the body, cdk8s
// owns synthesis. Used where cdk8s-plus has no construct or hides fields we must set
// (topology spread, seccomp, PodDisruptionBudgets, StatefulSet volume claims).

import { ApiObject, type ApiObjectMetadata } from 'cdk8s';
import type { Construct } from 'constructs';

/** A Kubernetes object body typed as T (e.g. `V1StatefulSet`), with apiVersion, kind and a name. */
export type KubeObjectBody<T> = Omit<T, 'apiVersion' | 'kind' | 'metadata'> & {
  apiVersion: string;
  kind: string;
  metadata: ApiObjectMetadata & { name: string };
};

/** Adds one raw object of type T to `scope`. */
export function kubeObject<T>(scope: Construct, id: string, body: KubeObjectBody<T>): ApiObject {
  return new ApiObject(scope, id, body);
}
