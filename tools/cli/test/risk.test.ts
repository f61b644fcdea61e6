import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { riskyChanges } from '../src/index.js';

const config = (mq: string) =>
  stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'milvus-config', namespace: 'milvus' },
    data: { 'user.yaml': stringify({ mq: { type: mq } }) },
  });
const tree = (mq: string) => ({ 'c/milvus/configmap-milvus-milvus-config.yaml': config(mq) });

describe('riskyChanges', () => {
  it('refuses a message-queue switch as an error', () => {
    expect(riskyChanges(tree('kafka'), tree('pulsar'), [], () => 'staging')).toEqual([
      expect.objectContaining({ id: 'message-queue-change', level: 'error', cluster: 'c' }),
    ]);
  });

  it('reports an error the head spec acknowledges as a warning with the reason', () => {
    const [risk] = riskyChanges(
      tree('kafka'),
      tree('pulsar'),
      [],
      () => 'staging',
      () => ({ 'message-queue-change': 'the WAL was drained and Kafka retired on 2026-11-30' }),
    );
    expect(risk).toMatchObject({ id: 'message-queue-change', level: 'warning' });
    expect(risk!.message).toMatch(/\(acknowledged in the spec: the WAL was drained and Kafka retired on 2026-11-30\)$/);
  });

  it('does not let an acknowledgement of one risk cover another', () => {
    const [risk] = riskyChanges(
      tree('kafka'),
      tree('pulsar'),
      [],
      () => 'staging',
      () => ({ 'milvus-downgrade': 'not this one, on purpose' }),
    );
    expect(risk!.level).toBe('error');
  });
});
