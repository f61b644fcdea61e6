// The Milvus topology by version, and what each role needs from Kubernetes. One table, read by the
// Deployment construct, the autoscaling library and monitoring (which roles exist, which ports).

import {
  MILVUS_ROLE_NODE_CLASS,
  type MilvusRole,
  type NodeClass,
  type ResolvedClusterSpec,
  type ResolvedFixedRole,
  type ResolvedResources,
  type ResolvedScalableRole,
} from '@milvus-gitops/spec';

/** HTTP port of `/healthz` and `/metrics` on every role. */
export const METRICS_PORT = 9091;
/** Name of the metrics port on every Milvus container (what scrape configs select). */
export const METRICS_PORT_NAME = 'metrics';
/** The client-facing gRPC port of the proxy. */
export const PROXY_PORT = 19530;

/** Label whose value is the role; with the standard labels it selects one role's pods. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** What a role needs that differs between roles. */
export interface RoleTraits {
  /** gRPC port the role serves on (peers reach it at the address it registers in etcd). */
  readonly grpcPort: number;
  /**
   * Seconds Kubernetes waits after SIGTERM. Query and streaming nodes hand their segments and WAL
   * channels over to peers before exiting, which takes minutes on a loaded node.
   */
  readonly terminationGraceSeconds: number;
  /** Whether clients address the role through a Service (only the proxy). */
  readonly clientService: boolean;
  /** Whether a single replica must be replaced, not surged (a lone coordinator must not run twice). */
  readonly recreateWhenSingle: boolean;
}

/** Traits per role. Ports follow the upstream defaults (milvus.yaml / the official chart). */
export const ROLE_TRAITS: Readonly<Record<MilvusRole, RoleTraits>> = {
  proxy: { grpcPort: PROXY_PORT, terminationGraceSeconds: 60, clientService: true, recreateWhenSingle: false },
  mixcoord: { grpcPort: 53100, terminationGraceSeconds: 120, clientService: false, recreateWhenSingle: true },
  querynode: { grpcPort: 21123, terminationGraceSeconds: 600, clientService: false, recreateWhenSingle: false },
  datanode: { grpcPort: 21124, terminationGraceSeconds: 300, clientService: false, recreateWhenSingle: false },
  indexnode: { grpcPort: 21121, terminationGraceSeconds: 300, clientService: false, recreateWhenSingle: false },
  streamingnode: { grpcPort: 22222, terminationGraceSeconds: 600, clientService: false, recreateWhenSingle: false },
};

/** One role as a cluster runs it. */
export interface RoleInstance {
  readonly role: MilvusRole;
  /** Node class the role's pods are placed on. */
  readonly nodeClass: NodeClass;
  readonly resources: ResolvedResources;
  /** Fixed replica count, or the autoscaler's bounds (then the Deployment leaves replicas unset). */
  readonly replicas: { readonly fixed: number } | { readonly min: number; readonly max: number };
}

function scalable(role: MilvusRole, r: ResolvedScalableRole): RoleInstance {
  return { role, nodeClass: MILVUS_ROLE_NODE_CLASS[role], resources: r.resources, replicas: { min: r.minReplicas, max: r.maxReplicas } };
}

function fixed(role: MilvusRole, r: ResolvedFixedRole): RoleInstance {
  return { role, nodeClass: MILVUS_ROLE_NODE_CLASS[role], resources: r.resources, replicas: { fixed: r.replicas } };
}

/**
 * The roles of a cluster's Milvus, by minor: 2.5 runs index nodes, 2.6 runs streaming nodes.
 * Proxies, query nodes, data nodes and index nodes are autoscaled; coordinators and streaming nodes
 * (which own WAL channels) run a fixed count.
 */
export function milvusRoles(spec: ResolvedClusterSpec): RoleInstance[] {
  const m = spec.milvus;
  const roles = [fixed('mixcoord', m.mixCoord), scalable('proxy', m.proxy), scalable('querynode', m.queryNode), scalable('datanode', m.dataNode)];
  if (m.minor === '2.5') {
    if (!m.indexNode) throw new Error(`${spec.name}: milvus.indexNode must be resolved for Milvus 2.5`);
    roles.push(scalable('indexnode', m.indexNode));
  } else {
    if (!m.streamingNode) throw new Error(`${spec.name}: milvus.streamingNode must be resolved for Milvus 2.6`);
    roles.push(fixed('streamingnode', m.streamingNode));
  }
  return roles;
}

/** Name of a role's Deployment (and PDB, and Service where it has one). */
export function roleWorkloadName(role: MilvusRole): string {
  return `milvus-${role}`;
}
