// The one ClusterSpec literal of the tests (`@milvus-gitops/spec/testing`): a valid baseline that
// each test derives its spec from by naming only what it varies, so a new required field or a
// changed default is edited here once instead of in every package's tests.

import type { ClusterSpec } from './types.js';

/**
 * `T` with every property optional at every depth, as a test's overrides of a spec. Arrays are
 * whole values (an override replaces the array, it does not patch its elements).
 */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** The baseline: a prod 2.6 cluster on Karpenter in us-east-1, every optional field left to its default. */
const baseline = (): ClusterSpec => ({
  name: 'prod-us-east-1',
  environment: 'prod',
  aws: { accountId: '111122223333', region: 'us-east-1', availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'] },
  kubernetes: { version: '1.33' },
  milvus: { version: '2.6.15' },
  nodes: { provisioner: 'karpenter', amiVersion: 'v20260724' },
  gitops: { repositoryUrl: 'https://github.com/acme/gitops.git' },
});

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` laid onto `base`: objects merge key by key, an `undefined` value deletes the key, anything else (arrays too) replaces. */
function merge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(over)) return over;
  const out: Record<string, unknown> = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

/**
 * A valid ClusterSpec for a test: the baseline (prod-us-east-1: prod, account 111122223333,
 * us-east-1 over three zones, Kubernetes 1.33, Milvus 2.6.15 with every size left to the presets,
 * Karpenter on AMI release v20260724, https://github.com/acme/gitops.git) deep-merged with `overrides`. Nested objects
 * merge; arrays replace; a key given as `undefined` is removed, so a test can drop an optional
 * field (or break a required one). Each call returns a fresh copy that shares nothing with the
 * overrides, so a test may mutate it.
 *
 * @example testClusterSpec({ environment: 'dev', milvus: { size: 'small' }, storage: { bucket: 'acme-milvus' } })
 */
export function testClusterSpec(overrides: DeepPartial<ClusterSpec> = {}): ClusterSpec {
  const spec = structuredClone(merge(baseline(), overrides)) as ClusterSpec;
  // The baseline's pinned AMI release is Karpenter's: a test that switches to the Cluster
  // Autoscaler (where validation refuses the field) gets it only by asking for it.
  if (spec.nodes.provisioner === 'cluster-autoscaler' && overrides.nodes?.amiVersion === undefined) delete spec.nodes.amiVersion;
  return spec;
}
