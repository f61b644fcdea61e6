// Deterministic YAML for one object a file: sorted keys, no timestamps, stable file names.

import { stringify } from 'yaml';
import type { Manifest } from '@milvus-gitops/core';

/**
 * The YAML of one object. Map keys are sorted (apiVersion, kind, metadata, spec fall out in their
 * conventional order); list order is kept because it is meaningful (containers, args, rules).
 * Strings that YAML 1.1 reads as something else (`on`, `yes`, `n`, `2024-01-01`) are quoted
 * (`compat: 'yaml-1.1'`): Kubernetes reads YAML with go-yaml v2, where an unquoted `on` is true.
 */
export function toYaml(m: Manifest): string {
  return stringify(m, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false, compat: 'yaml-1.1' });
}

/** `kind-namespace-name.yaml`, or `kind-name.yaml` for cluster-scoped objects; lowercase. */
export function fileNameOf(m: Manifest): string {
  const parts = [m.kind, m.metadata.namespace, m.metadata.name].filter((p): p is string => Boolean(p));
  return `${parts.join('-').toLowerCase()}.yaml`;
}
