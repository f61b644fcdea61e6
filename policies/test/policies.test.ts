import { describe, expect, it } from 'vitest';
import type { Manifest } from '@milvus-gitops/core';
import { POLICIES, runPolicies } from '../src/index.js';

const labels = { 'app.kubernetes.io/name': 'x', 'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'x' };
const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels } };
const deployment = (container: Record<string, unknown>): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'n', labels },
  spec: {
    replicas: 1,
    selector: { matchLabels: { a: 'b' } },
    template: {
      metadata: { labels: { a: 'b' } },
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [
          {
            name: 'c',
            image: 'registry.example/app:1.2.3',
            resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
            ...container,
          },
        ],
      },
    },
  },
});

describe('policy pack', () => {
  it('gives every rule an id, a rationale and a scope', () => {
    expect(new Set(POLICIES.map((p) => p.id)).size).toBe(POLICIES.length);
    for (const p of POLICIES) expect(p.rationale.length).toBeGreaterThan(20);
  });

  it('passes a well-formed workload', () => {
    expect(runPolicies([ns, deployment({})])).toEqual([]);
  });

  it('accepts a writable root filesystem only with a stated reason', () => {
    const writable = deployment({ securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: false } });
    expect(runPolicies([ns, writable]).map((v) => v.policy)).toEqual(['pod-security']);
    writable.metadata.annotations = { 'milvus-gitops.io/writable-root-filesystem': 'the vendor image writes /var/run' };
    expect(runPolicies([ns, writable])).toEqual([]);
  });

  it('runs only per-object rules when given loose files instead of a cluster', () => {
    const orphan = deployment({});
    expect(runPolicies([orphan]).map((v) => v.policy)).toEqual(['namespace-exists']);
    expect(runPolicies([orphan], POLICIES, false)).toEqual([]);
  });
});
