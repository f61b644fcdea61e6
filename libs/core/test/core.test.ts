import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { resolveClusterSpec, clusterNames } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';
import { AppChart, IrsaServiceAccount, selectorLabels, standardLabels, SynthesisError, synthApp, type AppDefinition } from '../src/index.js';

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
        const chart = new AppChart(scope, 'demo', { spec: s, app: 'demo' });
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
