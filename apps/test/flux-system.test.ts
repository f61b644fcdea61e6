import { describe, expect, it } from 'vitest';
import { synthApp, type AppDefinition } from '@milvus-gitops/core';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { fluxSystemApp } from '../src/flux-system.js';

const spec = resolveClusterSpec(testClusterSpec({ gitops: { repositoryUrl: 'ssh://git@github.com/acme/gitops.git', interval: '2m' } }));

const app = (name: string, dependsOn: string[] = []): AppDefinition => ({ name, description: name, dependsOn, build: () => undefined });
const CATALOGUE = [app('node-provisioning'), app('monitoring'), app('milvus', ['node-provisioning', 'monitoring']), app('autoscaling', ['milvus'])];

describe('flux-system app', () => {
  const objects = synthApp(fluxSystemApp(CATALOGUE), spec) as Record<string, any>[];
  const kustomization = (name: string) => objects.find((o) => o.kind === 'Kustomization' && o.metadata.name === name)!;

  it('pulls branch rendered of the repository the spec names, with the deploy key by reference', () => {
    const repo = objects.find((o) => o.kind === 'GitRepository')!;
    expect(repo.apiVersion).toBe('source.toolkit.fluxcd.io/v1');
    expect(repo.metadata).toMatchObject({ name: 'flux-system', namespace: 'flux-system' });
    expect(repo.spec).toMatchObject({
      url: 'ssh://git@github.com/acme/gitops.git',
      ref: { branch: 'rendered' },
      interval: '2m',
      secretRef: { name: 'flux-system' },
    });
  });

  it('renders one Kustomization per app on ./<cluster>/<app>, pruned, waited on, with a timeout', () => {
    for (const name of ['node-provisioning', 'monitoring', 'milvus', 'autoscaling']) {
      const k = kustomization(name);
      expect(k.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1');
      expect(k.spec).toMatchObject({
        path: `./prod-us-east-1/${name}`,
        prune: true,
        wait: true,
        timeout: '10m',
        interval: '2m',
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
      });
    }
  });

  it('orders controllers before Milvus and Milvus before autoscaling', () => {
    expect(kustomization('node-provisioning').spec.dependsOn).toBeUndefined();
    expect(kustomization('milvus').spec.dependsOn).toEqual([{ name: 'node-provisioning' }, { name: 'monitoring' }]);
    expect(kustomization('autoscaling').spec.dependsOn).toEqual([{ name: 'milvus' }]);
  });

  it('manages its own folder without pruning it', () => {
    expect(kustomization('flux-system').spec).toMatchObject({ path: './prod-us-east-1/flux-system', prune: false });
  });

  it('refuses a dependency on an unknown app and a cycle', () => {
    expect(() => fluxSystemApp([app('milvus', ['monitoring'])])).toThrow('app milvus: dependsOn names monitoring, which is not an app');
    expect(() => fluxSystemApp([app('a', ['b']), app('b', ['a'])])).toThrow('apps depend on each other in a cycle: a -> b -> a');
  });
});
