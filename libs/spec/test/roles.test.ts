import { describe, expect, it } from 'vitest';
import {
  applyDefaults,
  indexBuilderOf,
  MILVUS_MINORS,
  MILVUS_ROLE_NAMES,
  MILVUS_ROLE_NODE_CLASS,
  MILVUS_ROLES,
  milvusRolesOf,
  resolveClusterSpec,
  resolvedMilvusRoles,
  type ClusterSpec,
} from '../src/index.js';
import { testClusterSpec } from '../src/testing.js';

const specOf = (version: string): ClusterSpec =>
  testClusterSpec({ milvus: { version, ...(version.startsWith('2.5') ? { messageQueue: { type: 'kafka', brokers: ['b-1.kafka.local:9092'] } } : {}) } });

describe('MILVUS_ROLES', () => {
  it('names every role once, each with its own spec field, in the order of MILVUS_ROLE_NODE_CLASS', () => {
    expect(MILVUS_ROLE_NAMES).toEqual(['proxy', 'mixcoord', 'querynode', 'datanode', 'indexnode', 'streamingnode']);
    expect([...MILVUS_ROLE_NAMES].sort()).toEqual(Object.keys(MILVUS_ROLE_NODE_CLASS).sort());
    const keys = MILVUS_ROLE_NAMES.map((r) => MILVUS_ROLES[r].specKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('runs index nodes on 2.5 and streaming nodes on 2.6, with one index builder each', () => {
    expect(milvusRolesOf('2.5')).toEqual(['proxy', 'mixcoord', 'querynode', 'datanode', 'indexnode']);
    expect(milvusRolesOf('2.6')).toEqual(['proxy', 'mixcoord', 'querynode', 'datanode', 'streamingnode']);
    expect(indexBuilderOf('2.5')).toBe('indexnode');
    expect(indexBuilderOf('2.6')).toBe('datanode');
  });

  it('gives a reason exactly for the roles some minor does not run', () => {
    for (const role of MILVUS_ROLE_NAMES) {
      const def = MILVUS_ROLES[role];
      expect({ role, reason: 'notRunMessage' in def }).toEqual({ role, reason: def.minors.length < MILVUS_MINORS.length });
    }
  });

  it.each(['2.5.26', '2.6.15'])('resolves %s to exactly the roles its minor runs, sized as the table says', (version) => {
    const r = resolveClusterSpec(specOf(version));
    const roles = resolvedMilvusRoles(r.milvus);
    expect(roles.map((x) => x.role)).toEqual(milvusRolesOf(r.milvus.minor));
    for (const x of roles) {
      const def = MILVUS_ROLES[x.role];
      expect(x.replicas).toBe(def.replicas);
      expect(x.sizing).toBe(r.milvus[def.specKey]);
      expect(Object.keys(x.sizing).sort()).toEqual(def.replicas === 'fixed' ? ['replicas', 'resources'] : ['maxReplicas', 'minReplicas', 'resources']);
    }
    const absent = MILVUS_ROLE_NAMES.filter((role) => !milvusRolesOf(r.milvus.minor).includes(role)).map((role) => MILVUS_ROLES[role].specKey);
    for (const key of absent) expect(key in r.milvus).toBe(false);
  });

  it('keeps applyDefaults tolerant: a role sized on a minor that does not run it is resolved for validation to reject', () => {
    const s = specOf('2.6.15');
    s.milvus.indexNode = { maxReplicas: 4 };
    expect(applyDefaults(s).milvus.indexNode?.maxReplicas).toBe(4);
    const unknown = specOf('2.4.0');
    expect(Object.keys(applyDefaults(unknown).milvus)).not.toContain('indexNode');
    expect(Object.keys(applyDefaults(unknown).milvus)).not.toContain('streamingNode');
  });
});
