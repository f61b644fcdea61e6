// The VPC's address plan, derived from the spec's `aws.vpcCidr` alone: one private subnet per zone
// of an eighth of the VPC (a /19 of a /16), for nodes and pods (the VPC CNI gives every pod a VPC
// address), then one public subnet per zone of 1/256 of the VPC (a /24 of a /16), for internet load
// balancers and the NAT gateways, in the eighth after the last private subnet. For 10.0.0.0/16 and
// three zones this is the plan the stack always had (private 10.0.0.0/19, 10.0.32.0/19,
// 10.0.64.0/19; public 10.0.96.0/24 to 10.0.98.0/24), so existing subnets are not replaced.

/** The subnets of each zone, in the order of the spec's zones. */
export interface SubnetLayout {
  readonly private: string[];
  readonly public: string[];
}

const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** The block `index` of prefix `prefix` inside the block starting at `first`. */
const block = (first: number, prefix: number, index: number) => `${dotted(first + index * 2 ** (32 - prefix))}/${prefix}`;

/** The subnets of a VPC of `vpcCidr` (an aligned IPv4 /16 to /20, as spec validation requires) over `zones` zones. */
export function subnetLayout(vpcCidr: string, zones: number): SubnetLayout {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(vpcCidr);
  if (!m) throw new Error(`aws.vpcCidr ${vpcCidr} is not an IPv4 CIDR block`);
  const prefix = Number(m[5]);
  const first = m
    .slice(1, 5)
    .map(Number)
    .reduce((a, o) => a * 256 + o, 0);
  if (prefix < 16 || prefix > 20 || first % 2 ** (32 - prefix) !== 0) throw new Error(`aws.vpcCidr ${vpcCidr} must be an aligned /16 to /20`);
  // Seven private eighths and the public subnets in the eighth after them at most (AWS regions have
  // at most six zones).
  if (zones < 1 || zones > 7) throw new Error(`${zones} zones do not fit the VPC layout (1 to 7)`);
  return {
    private: Array.from({ length: zones }, (_, i) => block(first, prefix + 3, i)),
    public: Array.from({ length: zones }, (_, i) => block(first, prefix + 8, zones * 32 + i)),
  };
}
