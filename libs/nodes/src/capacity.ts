// What a pod may request on an instance: the instance's vCPUs, memory and instance storage less
// what Kubernetes and the node's daemons keep, computed the way Karpenter computes allocatable
// capacity for AL2023 nodes. Used to check that every pod fits some instance its pool allows, and
// that the pods of a class pack onto it without paying for idle capacity.

import { parseQuantity, type NodeClass } from '@milvus-gitops/spec';
import { NODE_CLASS_CAPACITY } from './classes.js';

const quantity = (q: string): number => {
  const v = parseQuantity(q);
  if (v === undefined) throw new Error(`not a Kubernetes quantity: ${q}`);
  return v;
};

/** One EC2 instance type (AWS, "Amazon EC2 instance types" specifications). */
export interface InstanceType {
  readonly vcpu: number;
  readonly memoryGi: number;
  /** NVMe instance storage in GB (RAID0 of all disks by the nvme EC2NodeClass); 0 for EBS-only. */
  readonly instanceStorageGb: number;
  /** Pods the VPC CNI allows without prefix delegation (amazon-vpc-cni-k8s misc/eni-max-pods.txt). */
  readonly maxPods: number;
}

/**
 * The instance types this repository's node classes allow (libs/nodes classes.ts). vCPUs, memory,
 * NVMe GB and pods as Karpenter's generated instance-type reference lists them
 * (aws/karpenter-provider-aws website/content/en/docs/reference/instance-types.md); pods agree with
 * amazon-eks-ami's ENI table (nodeadm/internal/kubelet/instance-info.jsonl: ENIs x (IPs - 1) + 2).
 */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = {
  'r6id.2xlarge': { vcpu: 8, memoryGi: 64, instanceStorageGb: 474, maxPods: 58 },
  'r6idn.2xlarge': { vcpu: 8, memoryGi: 64, instanceStorageGb: 474, maxPods: 58 },
  'r6id.4xlarge': { vcpu: 16, memoryGi: 128, instanceStorageGb: 950, maxPods: 234 },
  'r6idn.4xlarge': { vcpu: 16, memoryGi: 128, instanceStorageGb: 950, maxPods: 234 },
  'm6i.xlarge': { vcpu: 4, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'm7i.xlarge': { vcpu: 4, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'm6i.2xlarge': { vcpu: 8, memoryGi: 32, instanceStorageGb: 0, maxPods: 58 },
  'm7i.2xlarge': { vcpu: 8, memoryGi: 32, instanceStorageGb: 0, maxPods: 58 },
  'c6i.2xlarge': { vcpu: 8, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'c7i.2xlarge': { vcpu: 8, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'c6a.2xlarge': { vcpu: 8, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'c7a.2xlarge': { vcpu: 8, memoryGi: 16, instanceStorageGb: 0, maxPods: 58 },
  'c6i.4xlarge': { vcpu: 16, memoryGi: 32, instanceStorageGb: 0, maxPods: 234 },
  'c7i.4xlarge': { vcpu: 16, memoryGi: 32, instanceStorageGb: 0, maxPods: 234 },
  'c6a.4xlarge': { vcpu: 16, memoryGi: 32, instanceStorageGb: 0, maxPods: 234 },
  'c7a.4xlarge': { vcpu: 16, memoryGi: 32, instanceStorageGb: 0, maxPods: 234 },
  'g5.2xlarge': { vcpu: 8, memoryGi: 32, instanceStorageGb: 450, maxPods: 58 },
  'g6.2xlarge': { vcpu: 8, memoryGi: 32, instanceStorageGb: 450, maxPods: 58 },
};

/**
 * Share of memory Karpenter assumes the hypervisor keeps (its `vmMemoryOverheadPercent` setting,
 * default 0.075, charts/karpenter/values.yaml).
 */
export const VM_MEMORY_OVERHEAD = 0.075;

/**
 * What the node's DaemonSets request on every node, budgeted: aws-node (VPC CNI), kube-proxy,
 * ebs-csi-node, the Prometheus node exporter. Kept generous on purpose: a pod sized to the last
 * millicore would not fit once a DaemonSet grows.
 */
export const DAEMONSET_RESERVE = { cpuMillis: 300, memoryMi: 700 };

/**
 * kube-reserved CPU as EKS AMIs and Karpenter compute it: 6% of the first core, 1% of the second,
 * 0.5% of the third and fourth, 0.25% of every further core (awslabs/amazon-eks-ami
 * nodeadm/internal/kubelet/config.go getCPUMillicoresToReserve).
 */
export function kubeReservedCpuMillis(vcpu: number): number {
  const steps = [60, 10, 5, 5];
  let reserved = 0;
  for (let core = 0; core < vcpu; core++) reserved += steps[core] ?? 2.5;
  return reserved;
}

/** CPU (millicores), memory (MiB) and ephemeral storage (GiB) pods may request on one instance. */
export function allocatable(type: InstanceType): { cpuMillis: number; memoryMi: number; ephemeralGi: number } {
  // kube-reserved memory: 11 MiB per pod plus 255 MiB; the kubelet's hard eviction threshold: 100 MiB
  // (nodeadm/internal/kubelet/config.go: getMemoryMebibytesToReserve, evictionHard memory.available).
  const memoryMi = type.memoryGi * 1024 * (1 - VM_MEMORY_OVERHEAD) - (11 * type.maxPods + 255) - 100 - DAEMONSET_RESERVE.memoryMi;
  // Instance storage is sold in decimal GB; the kubelet keeps 10% for its own eviction threshold
  // (evictionHard nodefs.available: 10%, same file).
  const ephemeralGi = ((type.instanceStorageGb * 1e9) / 2 ** 30) * 0.9;
  return { cpuMillis: type.vcpu * 1000 - kubeReservedCpuMillis(type.vcpu) - DAEMONSET_RESERVE.cpuMillis, memoryMi, ephemeralGi };
}

/** A pod's requests. */
export interface PodRequests {
  readonly cpu: string;
  readonly memory: string;
  /** @default none */
  readonly ephemeralStorage?: string;
}

/** How many such pods one instance holds, and the share of its vCPUs and memory they leave idle. */
export function packing(type: InstanceType, pod: PodRequests): { pods: number; idleCpu: number; idleMemory: number } {
  const a = allocatable(type);
  const cpu = quantity(pod.cpu) * 1000;
  const memoryMi = quantity(pod.memory) / 2 ** 20;
  const eph = pod.ephemeralStorage ? quantity(pod.ephemeralStorage) / 2 ** 30 : 0;
  const pods = Math.max(
    0,
    Math.min(Math.floor(a.cpuMillis / cpu), Math.floor(a.memoryMi / memoryMi), eph > 0 ? Math.floor(a.ephemeralGi / eph) : Infinity, type.maxPods),
  );
  return { pods, idleCpu: 1 - (pods * cpu) / (type.vcpu * 1000), idleMemory: 1 - (pods * memoryMi) / (type.memoryGi * 1024) };
}

/**
 * The instance types of INSTANCE_TYPES a node class may run on: for Karpenter every known size of
 * the class's families from its minimum vCPUs up, for Cluster Autoscaler the node groups' types.
 */
export function allowedInstanceTypes(nodeClass: NodeClass, provisioner: 'karpenter' | 'cluster-autoscaler'): [string, InstanceType][] {
  const c = NODE_CLASS_CAPACITY[nodeClass];
  return Object.entries(INSTANCE_TYPES).filter(([name, t]) =>
    provisioner === 'karpenter' ? c.families.includes(name.split('.')[0]!) && t.vcpu >= c.minCpu : c.instanceTypes.includes(name),
  );
}
