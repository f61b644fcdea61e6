// The price table of the replay: EC2 on-demand per instance type, spot as the Spot Instance
// Advisor's savings over on-demand, and the storage prices of the seed's storage claim. Every
// figure names its source and date; a region without figures says so instead of borrowing.

/** Where a group of figures comes from. */
export interface PriceSource {
  /** What and where, precise enough to look up again. */
  source: string;
  /** When the figures were published or generated. */
  date: string;
}

/**
 * EC2 Linux on-demand USD per hour. us-east-1 only: Karpenter's generated price seed
 * (aws/karpenter-provider-aws v1.14.1, pkg/providers/pricing/zz_generated.pricing_aws.go,
 * InitialOnDemandPricesAWS, generated 2026-07-06 for us-east-1). No static source with the same
 * authority was found for other regions; their replays are priced at us-east-1 and say so.
 */
export const ON_DEMAND: { readonly meta: PriceSource; readonly prices: Readonly<Record<string, Readonly<Record<string, number>>>> } = {
  meta: { source: 'aws/karpenter-provider-aws v1.14.1 pkg/providers/pricing/zz_generated.pricing_aws.go', date: '2026-07-06' },
  prices: {
    'us-east-1': {
      'r6id.2xlarge': 0.6048,
      'r6idn.2xlarge': 0.78156,
      'r6id.4xlarge': 1.2096,
      'r6idn.4xlarge': 1.56312,
      'm6i.xlarge': 0.192,
      'm7i.xlarge': 0.2016,
      'm6i.2xlarge': 0.384,
      'm7i.2xlarge': 0.4032,
      'c6i.2xlarge': 0.34,
      'c7i.2xlarge': 0.357,
      'c6a.2xlarge': 0.306,
      'c7a.2xlarge': 0.41056,
      'c6i.4xlarge': 0.68,
      'c7i.4xlarge': 0.714,
      'c6a.4xlarge': 0.612,
      'c7a.4xlarge': 0.82112,
      'g5.2xlarge': 1.212,
      'g6.2xlarge': 0.9776,
    },
  },
};

/**
 * Spot savings over on-demand, percent, from the AWS Spot Instance Advisor feed
 * (spot-bid-advisor.s3.amazonaws.com/spot-advisor-data.json, Linux, field `s`), as snapshotted in
 * alexei-led/spotinfo internal/spot/data/spot-advisor-data.json (commit 5eedf20, 2025-06-28).
 */
export const SPOT_SAVINGS: { readonly meta: PriceSource; readonly savings: Readonly<Record<string, Readonly<Record<string, number>>>> } = {
  meta: { source: 'AWS Spot Instance Advisor feed via alexei-led/spotinfo@5eedf20 internal/spot/data/spot-advisor-data.json', date: '2025-06-28' },
  savings: {
    'us-east-1': {
      'r6id.2xlarge': 53,
      'r6idn.2xlarge': 43,
      'r6id.4xlarge': 54,
      'r6idn.4xlarge': 55,
      'm6i.xlarge': 55,
      'm7i.xlarge': 53,
      'm6i.2xlarge': 58,
      'm7i.2xlarge': 62,
      'c6i.2xlarge': 51,
      'c7i.2xlarge': 59,
      'c6a.2xlarge': 57,
      'c7a.2xlarge': 46,
      'c6i.4xlarge': 57,
      'c7i.4xlarge': 61,
      'c6a.4xlarge': 56,
      'c7a.4xlarge': 63,
      'g5.2xlarge': 58,
      'g6.2xlarge': 58,
    },
    'eu-west-1': {
      'r6id.2xlarge': 55,
      'r6idn.2xlarge': 50,
      'r6id.4xlarge': 55,
      'r6idn.4xlarge': 52,
      'm6i.xlarge': 56,
      'm7i.xlarge': 53,
      'm6i.2xlarge': 53,
      'm7i.2xlarge': 55,
      'c6i.2xlarge': 55,
      'c7i.2xlarge': 56,
      'c6a.2xlarge': 55,
      'c7a.2xlarge': 56,
      'c6i.4xlarge': 54,
      'c7i.4xlarge': 55,
      'c6a.4xlarge': 56,
      'c7a.4xlarge': 55,
      'g5.2xlarge': 54,
    },
    'us-west-2': {
      'r6id.2xlarge': 55,
      'r6idn.2xlarge': 49,
      'r6id.4xlarge': 61,
      'r6idn.4xlarge': 52,
      'm6i.xlarge': 59,
      'm7i.xlarge': 57,
      'm6i.2xlarge': 63,
      'm7i.2xlarge': 56,
      'c6i.2xlarge': 65,
      'c7i.2xlarge': 56,
      'c6a.2xlarge': 62,
      'c7a.2xlarge': 42,
      'c6i.4xlarge': 61,
      'c7i.4xlarge': 59,
      'c6a.4xlarge': 60,
      'c7a.4xlarge': 53,
      'g5.2xlarge': 59,
      'g6.2xlarge': 54,
    },
  },
};

/**
 * Storage, USD per GB-month, us-east-1: S3 Standard (first 50 TB) 0.023, from dated secondary
 * pages (cloudburn.io "Amazon S3 pricing", 2026-03-13, for US East); EBS gp3 0.08, the figure
 * open-source AWS cost tools hard-code for gp3 (no dated primary source was reachable here: AWS's
 * pricing pages render by script). Check both with `aws pricing get-products --service-code
 * AmazonS3|AmazonEC2` before relying on the storage claim.
 */
export const STORAGE: { readonly meta: PriceSource; readonly prices: Readonly<Record<string, { s3StandardGbMonth: number; gp3GbMonth: number }>> } = {
  meta: { source: "S3: cloudburn.io Amazon S3 pricing (US East); gp3: open-source cost tools' tables (secondary, undated)", date: '2026-03-13 (S3)' },
  prices: { 'us-east-1': { s3StandardGbMonth: 0.023, gp3GbMonth: 0.08 } },
};

/** Hours in a month as AWS bills them (730 = 8760 / 12). */
export const HOURS_PER_MONTH = 730;

/** An instance type the table has no price for. */
export class PriceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PriceError';
  }
}

/** A price lookup for one region, falling back to us-east-1 and saying so. */
export interface RegionPrices {
  /** The region asked for. */
  region: string;
  /** The region whose on-demand and storage prices are used. */
  pricedAs: string;
  /** On-demand USD/hour of an instance type. */
  onDemand(instanceType: string): number;
  /** Spot USD/hour: the priced region's on-demand less this region's Advisor savings (on-demand when the Advisor does not list the type). */
  spot(instanceType: string): number;
  /** Storage USD per GB-month. */
  storage: { s3StandardGbMonth: number; gp3GbMonth: number };
}

/** Prices for `region`. */
export function regionPrices(region: string): RegionPrices {
  const pricedAs = ON_DEMAND.prices[region] ? region : 'us-east-1';
  const table = ON_DEMAND.prices[pricedAs]!;
  const onDemand = (type: string): number => {
    const p = table[type];
    if (p === undefined) throw new PriceError(`no on-demand price for ${type} in the replay's price table (tools/cli/src/replay/prices.ts)`);
    return p;
  };
  return {
    region,
    pricedAs,
    onDemand,
    spot: (type) => onDemand(type) * (1 - (SPOT_SAVINGS.savings[region]?.[type] ?? 0) / 100),
    storage: STORAGE.prices[pricedAs] ?? STORAGE.prices['us-east-1']!,
  };
}
