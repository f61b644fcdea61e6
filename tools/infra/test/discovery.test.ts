// Karpenter's discovery across the layers: every subnet and security-group selector term of every
// rendered EC2NodeClass matches at least one subnet or security group the synthesized stack creates
// or tags, and each EC2NodeClass's role is in the stack.
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveClusterSpec, type ClusterSpec } from '@milvus-gitops/spec';
import { discoveryCheck, taggedResources, type RenderedNodeClass } from '../src/index.js';
import { loadExamples, renderedObjects } from './examples.js';

type Obj = Record<string, any>;
let specs: Record<string, ClusterSpec> = {};
let stacks: Record<string, Obj> = {};
beforeAll(async () => {
  ({ specs, stacks } = await loadExamples());
});
const KARPENTER = ['dev-us-west-2', 'prod-us-east-1'];

describe.each(KARPENTER)('Karpenter discovery of %s', (name) => {
  const nodeClasses = () => renderedObjects<RenderedNodeClass>(specs[name]!).filter((o) => o.kind === 'EC2NodeClass');

  it('renders EC2NodeClasses that select subnets and security groups by tag', () => {
    const classes = nodeClasses();
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(['nvme-raid0', 'standard']);
    for (const c of classes) {
      expect(c.spec!.subnetSelectorTerms!.length).toBeGreaterThan(0);
      expect(c.spec!.securityGroupSelectorTerms!.length).toBeGreaterThan(0);
    }
  });

  it('finds a tagged subnet and security group in the stack for every selector term', () => {
    expect(discoveryCheck(resolveClusterSpec(specs[name]!), stacks[name]!, nodeClasses())).toEqual([]);
  });

  it('tags the EKS-created cluster security group (EKS does not copy the cluster tags to it)', () => {
    const { securityGroups } = taggedResources(stacks[name]!);
    expect(securityGroups.get('${aws_eks_cluster.eks.vpc_config[0].cluster_security_group_id}')).toEqual({ 'karpenter.sh/discovery': name });
  });

  it('fails when the stack stops tagging the cluster security group', () => {
    const stack = structuredClone(stacks[name]!);
    delete stack.resource.aws_ec2_tag;
    const problems = discoveryCheck(resolveClusterSpec(specs[name]!), stack, nodeClasses());
    expect(problems.sort()).toEqual(
      ['nvme-raid0', 'standard'].map(
        (c) =>
          `${name}: EC2NodeClass ${c}: securityGroupSelectorTerms[0] (karpenter.sh/discovery=${name}) matches no security group the Terraform of ${name} creates or tags`,
      ),
    );
  });

  it('fails when a selector tag drifts from the subnets, or the role from the node role', () => {
    const classes = nodeClasses().filter((c) => c.metadata.name === 'standard');
    classes[0]!.spec!.subnetSelectorTerms = [{ tags: { 'karpenter.sh/discovery': 'other' } }];
    classes[0]!.spec!.role = 'other-node';
    expect(discoveryCheck(resolveClusterSpec(specs[name]!), stacks[name]!, classes)).toEqual([
      `${name}: EC2NodeClass standard: subnetSelectorTerms[0] (karpenter.sh/discovery=other) matches no subnet the Terraform of ${name} creates or tags`,
      `${name}: EC2NodeClass standard: role other-node is not an IAM role in the Terraform of ${name}`,
    ]);
  });
});

it('has no EC2NodeClass on the Cluster Autoscaler cluster', () => {
  expect(renderedObjects<RenderedNodeClass>(specs['staging-eu-west-1']!).filter((o) => o.kind === 'EC2NodeClass')).toEqual([]);
});
