import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { GitRepository, Kustomization } from '../src/index.js';

describe('Flux constructs', () => {
  it('renders a GitRepository in flux-system that references its secret by name', () => {
    const chart = new Chart(Testing.app(), 't');
    new GitRepository(chart, 'r', { name: 'src', url: 'https://example.invalid/r.git', branch: 'rendered', secretRef: 'key', interval: '1m' });
    const [repo] = Testing.synth(chart);
    expect(repo).toMatchObject({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'src', namespace: 'flux-system' },
      spec: { url: 'https://example.invalid/r.git', ref: { branch: 'rendered' }, secretRef: { name: 'key' }, interval: '1m' },
    });
  });

  it('defaults a Kustomization to prune, wait and a 10m timeout, and omits an empty dependsOn', () => {
    const chart = new Chart(Testing.app(), 't');
    new Kustomization(chart, 'k', { name: 'milvus', path: './c/milvus', sourceRef: 'src', interval: '5m' });
    new Kustomization(chart, 'k2', { name: 'autoscaling', path: './c/autoscaling', sourceRef: 'src', interval: '5m', dependsOn: ['milvus'], prune: false });
    const [k, k2] = Testing.synth(chart);
    expect(k!.spec).toEqual({
      interval: '5m',
      retryInterval: '2m',
      timeout: '10m',
      path: './c/milvus',
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: 'src' },
    });
    expect(k2!.spec).toMatchObject({ prune: false, dependsOn: [{ name: 'milvus' }] });
  });
});
