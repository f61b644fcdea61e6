// The app.kubernetes.io recommended labels, built in one place so every object carries the same set.

/** Label carrying the cluster name on every rendered object. */
export const CLUSTER_LABEL = 'milvus-gitops.io/cluster';

/** Inputs of the recommended labels. */
export interface StandardLabelProps {
  /** `app.kubernetes.io/name`: the application (e.g. `milvus`, `etcd`). */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this installation of it. @default the name */
  readonly instance?: string;
  /** `app.kubernetes.io/component`: the role inside the application. @default none */
  readonly component?: string;
  /** `app.kubernetes.io/version`: the version running. @default none */
  readonly version?: string;
}

/** The recommended labels of one component; pair with `selectorLabels` for selectors. */
export function standardLabels(props: StandardLabelProps): Record<string, string> {
  return {
    'app.kubernetes.io/name': props.name,
    'app.kubernetes.io/instance': props.instance ?? props.name,
    ...(props.component ? { 'app.kubernetes.io/component': props.component } : {}),
    ...(props.version ? { 'app.kubernetes.io/version': props.version } : {}),
  };
}

/** The immutable subset of the labels that selectors use (never the version, which changes). */
export function selectorLabels(props: StandardLabelProps): Record<string, string> {
  const { 'app.kubernetes.io/version': _version, ...rest } = standardLabels(props);
  return rest;
}
