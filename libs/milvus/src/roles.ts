// What each Milvus role needs from Kubernetes, and the roles a cluster runs (which roles each minor
// runs, and how they scale, is MILVUS_ROLES in @milvus-gitops/spec). Read by the Deployment
// construct and monitoring (which roles exist, which ports).

import { MILVUS_ROLE_NODE_CLASS, type MilvusRole, type NodeClass, type ResolvedMilvusRole, type ResolvedResources } from '@milvus-gitops/spec';

/** HTTP port of `/healthz` and `/metrics` on every role. */
export const METRICS_PORT = 9091;
/** Name of the metrics port on every Milvus container (what scrape configs select). */
export const METRICS_PORT_NAME = 'metrics';
/** The client-facing gRPC port of the proxy. */
export const PROXY_PORT = 19530;

/** Label whose value is the role; with the standard labels it selects one role's pods. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

/**
 * Port of the root coordinator, and so of 2.6's mixcoord, which listens on `rootCoord.port`
 * (internal/distributed/mixcoord/service.go). Set explicitly in user.yaml: Milvus moved the default
 * from 53100, inside Linux's ephemeral port range, to 22125 during 2.6 (milvus-io/milvus#46256), so
 * an unpinned port depends on the patch release.
 */
export const ROOT_COORD_PORT = 22125;

/** A named container port. */
export interface RolePort {
  readonly name: string;
  readonly port: number;
}

/** What a role needs that differs between roles. */
export interface RoleTraits {
  /**
   * gRPC ports the role serves on (peers reach them at the addresses registered in etcd). The
   * coordinators of 2.5 run as one `mixture` process with one port per coordinator.
   */
  readonly grpcPorts: (minor: '2.5' | '2.6') => readonly RolePort[];
  /**
   * The arguments after `milvus run`. The coordinators run as `mixture -rootcoord -querycoord
   * -datacoord -indexcoord` on every version, as the official chart
   * (charts/milvus/templates/mixcoord-deployment.yaml) and milvus-operator
   * (pkg/controllers/components.go) do: 2.5 has no `mixcoord` role (cmd/milvus/util.go exits with
   * "Unknown server type"), and 2.6 starts its mixcoord from the same flags (cmd/roles/roles.go).
   */
  readonly run: readonly string[];
  /**
   * The user.yaml sections whose `gracefulStopTimeout` bounds this role's shutdown: each is set
   * below the pod's grace period, so Milvus finishes (or gives up) before Kubernetes kills it.
   * Sources: configs/milvus.yaml and pkg/util/paramtable/component_param.go at v2.5.26 and v2.6.15.
   * 2.6's streaming node has no key of its own; its embedded query node reads queryNode's.
   */
  readonly stopTimeoutSections: readonly string[];
  /**
   * Seconds Kubernetes waits after SIGTERM. Query and streaming nodes hand their segments and WAL
   * channels over to peers before exiting, which takes minutes on a loaded node.
   */
  readonly terminationGraceSeconds: number;
  /**
   * Seconds a stopping pod waits (a preStop `sleep`) before Milvus gets SIGTERM, 0 for none: the
   * proxy stops taking requests at SIGTERM, so it first waits for its endpoint to leave the Service
   * and the load balancer's targets, as the Milvus operator does (30 s, pkg/controllers/
   * deployment_updater.go, zilliztech/milvus-operator a6dcc63). Counted in the grace period.
   */
  readonly preStopSleepSeconds: number;
  /** Whether clients address the role through a Service (only the proxy). */
  readonly clientService: boolean;
  /** Whether a single replica must be replaced, not surged (a lone coordinator must not run twice). */
  readonly recreateWhenSingle: boolean;
}

const one = (name: string, port: number) => () => [{ name, port }];

/** Traits per role. Ports follow the upstream defaults (configs/milvus.yaml, the official chart). */
export const ROLE_TRAITS: Readonly<Record<MilvusRole, RoleTraits>> = {
  proxy: {
    grpcPorts: one('grpc', PROXY_PORT),
    run: ['proxy'],
    stopTimeoutSections: ['proxy'],
    terminationGraceSeconds: 90,
    preStopSleepSeconds: 30,
    clientService: true,
    recreateWhenSingle: false,
  },
  mixcoord: {
    grpcPorts: (minor) =>
      minor === '2.5'
        ? [
            { name: 'rootcoord', port: ROOT_COORD_PORT },
            { name: 'querycoord', port: 19531 },
            { name: 'datacoord', port: 13333 },
          ]
        : [{ name: 'mixcoord', port: ROOT_COORD_PORT }],
    run: ['mixture', '-rootcoord', '-querycoord', '-datacoord', '-indexcoord'],
    // rootCoord/queryCoord/dataCoord.gracefulStopTimeout default to 5 s upstream, well inside 120 s.
    stopTimeoutSections: [],
    terminationGraceSeconds: 120,
    preStopSleepSeconds: 0,
    clientService: false,
    recreateWhenSingle: true,
  },
  querynode: {
    grpcPorts: one('querynode', 21123),
    run: ['querynode'],
    stopTimeoutSections: ['queryNode'],
    terminationGraceSeconds: 600,
    preStopSleepSeconds: 0,
    clientService: false,
    recreateWhenSingle: false,
  },
  datanode: {
    grpcPorts: one('datanode', 21124),
    run: ['datanode'],
    stopTimeoutSections: ['dataNode'],
    terminationGraceSeconds: 300,
    preStopSleepSeconds: 0,
    clientService: false,
    recreateWhenSingle: false,
  },
  indexnode: {
    grpcPorts: one('indexnode', 21121),
    run: ['indexnode'],
    stopTimeoutSections: ['indexNode'],
    terminationGraceSeconds: 300,
    preStopSleepSeconds: 0,
    clientService: false,
    recreateWhenSingle: false,
  },
  streamingnode: {
    grpcPorts: one('streamingnode', 22222),
    run: ['streamingnode'],
    stopTimeoutSections: ['queryNode'],
    terminationGraceSeconds: 600,
    preStopSleepSeconds: 0,
    clientService: false,
    recreateWhenSingle: false,
  },
};

/** Seconds Milvus may spend stopping a role: well inside what the pod's grace period leaves after its preStop wait. */
export function gracefulStopSeconds(role: MilvusRole): number {
  return ROLE_TRAITS[role].terminationGraceSeconds - ROLE_TRAITS[role].preStopSleepSeconds - 30;
}

/** One role as a cluster runs it. */
export interface RoleInstance {
  readonly role: MilvusRole;
  /** Node class the role's pods are placed on. */
  readonly nodeClass: NodeClass;
  readonly resources: ResolvedResources;
  /**
   * Fixed replica count, or the autoscaler's bounds, named as the spec and the HPA name them (the
   * Deployment starts at `minReplicas` and leaves the count unset once an autoscaler owns it).
   */
  readonly replicas: { readonly fixed: number } | { readonly minReplicas: number; readonly maxReplicas: number };
}

/** Input of milvusRoles: the roles a cluster's Milvus sizes. */
export interface MilvusRolesProps {
  /**
   * The roles the cluster's Milvus runs, in MILVUS_ROLES order, each with its resolved sizing
   * (`resolvedMilvusRoles(spec.milvus)` for a cluster).
   * @default - required, no default
   */
  readonly roles: readonly ResolvedMilvusRole[];
}

/**
 * The roles of a cluster's Milvus, in the order given (MILVUS_ROLES order: those its minor runs,
 * 2.5 index nodes, 2.6 streaming nodes), autoscaled or fixed as the table says, each on its node class.
 */
export function milvusRoles(props: MilvusRolesProps): RoleInstance[] {
  return props.roles.map((r) => ({
    role: r.role,
    nodeClass: MILVUS_ROLE_NODE_CLASS[r.role],
    resources: r.sizing.resources,
    replicas: r.replicas === 'scalable' ? { minReplicas: r.sizing.minReplicas, maxReplicas: r.sizing.maxReplicas } : { fixed: r.sizing.replicas },
  }));
}

/** Name of a role's Deployment (and PDB, and Service where it has one). */
export function roleWorkloadName(role: MilvusRole): string {
  return `milvus-${role}`;
}
