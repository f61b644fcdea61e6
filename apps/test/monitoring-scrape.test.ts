import { Chart, Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { milvusClusterProps } from '../src/milvus.js';
import { MilvusCluster, roleSelector } from '@milvus-gitops/milvus';
import { MilvusScrapeConfigs } from '@milvus-gitops/monitoring';
import { resolveClusterSpec } from '@milvus-gitops/spec';
import { testClusterSpec } from '@milvus-gitops/spec/testing';

type Obj = Record<string, any>;
/** A staging cluster of the given Milvus version; a 2.5 one gets the Kafka queue it requires. */
const spec = (version: string) =>
  resolveClusterSpec(
    testClusterSpec({
      name: 'staging-eu-west-1',
      environment: 'staging',
      milvus: version.startsWith('2.5') ? { version, messageQueue: { type: 'kafka', brokers: ['b:9092'] } } : { version },
    }),
  );

describe('scrape configs', () => {
  it.each(['2.5.26', '2.6.15'])('monitor every role of Milvus %s on its metrics port, selected by the Milvus labels, and etcd', (version) => {
    const s = spec(version);
    const app = Testing.app();
    const milvus = new MilvusCluster(new Chart(app, 'milvus'), 'Milvus', milvusClusterProps(s));
    const chart = new Chart(app, 't');
    new MilvusScrapeConfigs(chart, 'm', { milvus });
    const monitors = Testing.synth(chart) as Obj[];
    for (const r of milvusClusterProps(s).roles) {
      const m = monitors.find((x) => x.metadata.name === `milvus-${r.role}`)!;
      expect(m.kind).toBe('PodMonitor');
      expect(m.spec.selector.matchLabels).toEqual(roleSelector(s.name, r.role));
      expect(m.spec.podMetricsEndpoints[0].port).toBe('metrics');
    }
    expect(monitors.map((m) => m.metadata.name)).toContain('milvus-etcd');
    expect(monitors).toHaveLength(milvusClusterProps(s).roles.length + 1);
  });
});
