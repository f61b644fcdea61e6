// The declared path to an external Kafka: a route to the Kafka VPC's block on every private route
// table, over the peering connection or over a transit gateway this stack attaches the VPC to.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterSpec, KafkaNetworkPath } from '@milvus-gitops/spec';
import { describe, expect, it } from 'vitest';
import { defaultMirror, readStack, synthStacks, validateStacks } from '../src/index.js';
import { hasTerraform, testSpec } from './fixtures.js';

type Obj = Record<string, any>;
const withKafka = (name: string, network: KafkaNetworkPath): ClusterSpec => ({
  ...testSpec(name, 'cluster-autoscaler'),
  milvus: { version: '2.5.26', messageQueue: { type: 'kafka', brokers: ['b-1.shared.abc123.c4.kafka.us-east-1.amazonaws.com:9092'], network } },
});
const peering = withKafka('pcx-us-east-1', { cidr: '10.200.0.0/16', vpcPeeringConnectionId: 'pcx-0a1b2c3d4e5f67890' });
const transit = withKafka('tgw-us-east-1', { cidr: '10.200.0.0/16', transitGatewayId: 'tgw-0123456789abcdef0' });
const synth = async (...specs: ClusterSpec[]) => {
  const files = synthStacks(specs, await mkdtemp(join(tmpdir(), 'cdktf-')));
  return Object.fromEntries(await Promise.all(Object.entries(files).map(async ([k, f]) => [k, (await readStack(f)) as Obj]))) as Record<string, Obj>;
};
const privateTables = (s: Obj) => Object.entries(s.resource.aws_route_table as Record<string, Obj>).filter(([id]) => id.startsWith('private-rt-'));

describe('the path to an external Kafka', () => {
  it('routes the Kafka block over the peering connection from every private route table, and nothing else changes', async () => {
    const stacks = await synth(peering, testSpec('plain-us-east-1', 'cluster-autoscaler'));
    const tables = privateTables(stacks['pcx-us-east-1']!);
    expect(tables).toHaveLength(3);
    for (const [, rt] of tables) {
      expect(rt.route.map((r: Obj) => [r.cidr_block, r.nat_gateway_id ?? r.vpc_peering_connection_id])).toEqual([
        ['0.0.0.0/0', expect.stringMatching(/^\$\{aws_nat_gateway\.nat-[abc]\.id\}$/)],
        ['10.200.0.0/16', 'pcx-0a1b2c3d4e5f67890'],
      ]);
    }
    expect(stacks['pcx-us-east-1']!.resource.aws_ec2_transit_gateway_vpc_attachment).toBeUndefined();
    // A cluster without a Kafka path gets the NAT route only, and no aws_route next to inline routes.
    for (const [, rt] of privateTables(stacks['plain-us-east-1']!)) expect(rt.route).toHaveLength(1);
    expect(stacks['pcx-us-east-1']!.resource.aws_route).toBeUndefined();
  });

  it('attaches the VPC to the transit gateway in every private subnet and routes through it once attached', async () => {
    const s = (await synth(transit))['tgw-us-east-1']!;
    expect(s.resource.aws_ec2_transit_gateway_vpc_attachment['kafka-tgw-attachment']).toMatchObject({
      transit_gateway_id: 'tgw-0123456789abcdef0',
      vpc_id: '${aws_vpc.vpc.id}',
      subnet_ids: ['${aws_subnet.private-a.id}', '${aws_subnet.private-b.id}', '${aws_subnet.private-c.id}'],
    });
    for (const [, rt] of privateTables(s)) {
      expect(rt.route[1]).toMatchObject({ cidr_block: '10.200.0.0/16', transit_gateway_id: 'tgw-0123456789abcdef0' });
      expect(rt.depends_on).toEqual(['aws_ec2_transit_gateway_vpc_attachment.kafka-tgw-attachment']);
    }
  });

  const mirror = defaultMirror();
  it.skipIf(!hasTerraform || !mirror)(
    'passes terraform validate both ways (skipped without terraform or a provider mirror)',
    async () => {
      const files = synthStacks([peering, transit], await mkdtemp(join(tmpdir(), 'cdktf-')));
      const results = await validateStacks(files, { mirror: mirror! });
      for (const r of results) expect(r.ok, r.output).toBe(true);
    },
    180_000,
  );
});
