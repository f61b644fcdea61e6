import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, clusterNames } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { AppChart, IrsaServiceAccount, selectorLabels, standardLabels, SynthesisError, synthApp, synthCluster, type AppDefinition } from '../src/index.js';

const spec = resolveClusterSpec(testClusterSpec({ name: 'dev-us-west-2', aws: { accountId: '777788889999' } }));

describe('labels', () => {
  it('builds the app.kubernetes.io labels and leaves the version out of selectors', () => {
    const props = { name: 'milvus', instance: 'dev', component: 'querynode', version: '2.6.15' };
    expect(standardLabels(props)).toEqual({
      'app.kubernetes.io/name': 'milvus',
      'app.kubernetes.io/instance': 'dev',
      'app.kubernetes.io/component': 'querynode',
      'app.kubernetes.io/version': '2.6.15',
    });
    expect(selectorLabels(props)).not.toHaveProperty('app.kubernetes.io/version');
  });
});

describe('synthApp', () => {
  it('labels every object with cluster, app and manager, and binds IRSA by the names module', () => {
    const app: AppDefinition = {
      name: 'demo',
      description: 'one ServiceAccount',
      build(scope, s) {
        const chart = new AppChart(scope, 'demo', { cluster: s.name, app: 'demo' });
        new IrsaServiceAccount(chart, 'sa', { binding: clusterNames(s).irsa.milvus! });
      },
    };
    const [sa] = synthApp(app, spec);
    expect(sa!.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'milvus-eks-gitops',
      'app.kubernetes.io/part-of': 'demo',
      'milvus-gitops.io/cluster': 'dev-us-west-2',
    });
    expect(sa!.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::777788889999:role/dev-us-west-2-milvus' });
    expect(sa!.automountServiceAccountToken).toBe(false);
  });

  it('fails with every construct validation error, naming the app and the construct path', () => {
    const app: AppDefinition = {
      name: 'broken',
      description: 'a construct that refuses to synthesize',
      build(scope) {
        const chart = new Chart(scope, 'c');
        chart.node.addValidation({ validate: () => ['replicas must not be set under an HPA'] });
      },
    };
    expect(() => synthApp(app, spec)).toThrowError(SynthesisError);
    expect(() => synthApp(app, spec)).toThrowError('app broken: c: replicas must not be set under an HPA');
  });
});

describe('synthCluster', () => {
  const configMap = (scope: Construct, name: string) =>
    new ApiObject(scope, name, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: {} });

  it("builds every app in one App, a chart each, so that a later app reaches an earlier one's objects", () => {
    const first: AppDefinition = {
      name: 'first',
      description: '',
      build: (scope, s) => configMap(new AppChart(scope, 'first', { cluster: s.name, app: 'first' }), 'one'),
    };
    const second: AppDefinition = {
      name: 'second',
      description: '',
      build(scope, s) {
        const found = scope.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.name === 'one')!;
        configMap(new AppChart(scope, 'second', { cluster: s.name, app: 'second' }), `after-${found.name}`);
      },
    };
    const out = synthCluster([first, second], spec);
    expect(out.map((r) => ('objects' in r ? [r.app, r.objects.map((o) => o.metadata.name)] : [r.app, r.errors]))).toEqual([
      ['first', ['one']],
      ['second', ['after-one']],
    ]);
  });

  it('attributes a failing build to its app and still synthesizes the others', () => {
    const ok: AppDefinition = {
      name: 'ok',
      description: '',
      build: (scope, s) => configMap(new AppChart(scope, 'ok', { cluster: s.name, app: 'ok' }), 'fine'),
    };
    const bad: AppDefinition = {
      name: 'bad',
      description: '',
      build() {
        throw new Error('no target');
      },
    };
    expect(synthCluster([ok, bad], spec)).toEqual([
      { app: 'ok', objects: [expect.objectContaining({ kind: 'ConfigMap' })] },
      { app: 'bad', errors: ['no target'] },
    ]);
  });
});
