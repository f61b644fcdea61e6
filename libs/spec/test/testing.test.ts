import { describe, expect, it } from 'vitest';
import { validateClusterSpec } from '../src/index.js';
import { testClusterSpec, type DeepPartial } from '../src/testing.js';
import type { ClusterSpec } from '../src/types.js';

describe('testClusterSpec', () => {
  it('returns a valid baseline when given no overrides', () => {
    const s = testClusterSpec();
    expect(validateClusterSpec(s)).toEqual([]);
    expect(s).toMatchObject({ name: 'prod-us-east-1', environment: 'prod', milvus: { version: '2.6.15' }, nodes: { provisioner: 'karpenter' } });
    // Every optional section is left to its default.
    expect(Object.keys(s).sort()).toEqual(['aws', 'environment', 'gitops', 'kubernetes', 'milvus', 'name', 'nodes']);
    expect(testClusterSpec({})).toEqual(s);
  });

  it('merges nested objects key by key, keeping the baseline keys the overrides leave out', () => {
    const base = testClusterSpec();
    const s = testClusterSpec({ aws: { vpcCidr: '10.20.0.0/16' }, milvus: { queryNode: { maxReplicas: 8 } }, storage: { bucket: 'acme-milvus' } });
    expect(s.aws).toEqual({ ...base.aws, vpcCidr: '10.20.0.0/16' });
    expect(s.milvus).toEqual({ version: '2.6.15', queryNode: { maxReplicas: 8 } });
    expect(s.storage).toEqual({ bucket: 'acme-milvus' });
    expect({ ...s, aws: base.aws, milvus: base.milvus, storage: undefined }).toEqual(base);
  });

  it('replaces arrays whole instead of merging their elements', () => {
    const s = testClusterSpec({ aws: { availabilityZones: ['us-east-1d'] } });
    expect(s.aws.availabilityZones).toEqual(['us-east-1d']);
  });

  it('deletes a key given as undefined, at any depth', () => {
    const s = testClusterSpec({ milvus: { version: '2.6.15', queryNode: { minReplicas: 1, maxReplicas: undefined } }, gitops: undefined });
    expect(s.milvus.queryNode).toEqual({ minReplicas: 1 });
    expect(s).not.toHaveProperty('gitops');
    expect(testClusterSpec({ storage: { bucket: 'b', rootPath: undefined } }).storage).toEqual({ bucket: 'b' });
  });

  it('returns a fresh copy that shares nothing with the baseline or the overrides', () => {
    const zones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
    const overrides: DeepPartial<ClusterSpec> = { aws: { region: 'eu-west-1', availabilityZones: zones } };
    const s = testClusterSpec(overrides);
    s.aws.availabilityZones.push('eu-west-1d');
    s.milvus.version = '2.5.26';
    expect(zones).toHaveLength(3);
    expect(testClusterSpec(overrides).aws.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(testClusterSpec().milvus.version).toBe('2.6.15');
  });
});
