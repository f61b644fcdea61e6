// The Milvus roles in one table: the name `milvus run` gives each role, the MilvusSpec key that
// sizes it, how its replicas are counted and the minors that run it. Defaults, validation and the
// constructs derive their role lists from this table instead of spelling the roles again.

import type { MilvusRole } from './placement.js';
import type { MilvusMinor, MilvusRoleKey, ResolvedFixedRole, ResolvedMilvus, ResolvedScalableRole } from './types.js';

/** What the table says of every role, whatever its replica kind. */
interface MilvusRoleCommon {
  /** The MilvusSpec (and ResolvedMilvus) field that sizes the role, e.g. `queryNode` for `querynode`. */
  readonly specKey: MilvusRoleKey;
  /** The Milvus minors that run the role; on the others, validation rejects a spec that sizes it. */
  readonly minors: readonly MilvusMinor[];
  /** The minors on which this role builds the indexes (one role per minor). */
  readonly buildsIndexesOn: readonly MilvusMinor[];
  /**
   * What validation says, after the field path, of a spec that sizes the role on a minor outside
   * `minors`. Present exactly when `minors` leaves a minor out.
   */
  readonly notRunMessage?: string;
}

/** A role an autoscaler sizes between `minReplicas` and `maxReplicas` (a ScalableRoleSpec). */
export interface ScalableMilvusRole extends MilvusRoleCommon {
  /** The replica kind: bounds for an autoscaler. */
  readonly replicas: 'scalable';
}

/** A role run at a fixed `replicas` count (a FixedRoleSpec). */
export interface FixedMilvusRole extends MilvusRoleCommon {
  /** The replica kind: one count, no autoscaler. */
  readonly replicas: 'fixed';
  /** Most replicas validation accepts. */
  readonly maxReplicas: number;
}

/** One row of MILVUS_ROLES. */
export type MilvusRoleDefinition = ScalableMilvusRole | FixedMilvusRole;

/**
 * Every Milvus role, in the order the roles are listed everywhere (spec fields, validation
 * messages, user.yaml sections). Proxies, query, data and index nodes are autoscaled; the
 * coordinator (a second one is only a hot standby) and the streaming nodes (which own WAL channels)
 * run a fixed count. 2.5 runs index nodes and builds indexes there; 2.6 runs streaming nodes and
 * builds indexes on the data nodes.
 */
export const MILVUS_ROLES = {
  proxy: { specKey: 'proxy', replicas: 'scalable', minors: ['2.5', '2.6'], buildsIndexesOn: [] },
  mixcoord: { specKey: 'mixCoord', replicas: 'fixed', maxReplicas: 2, minors: ['2.5', '2.6'], buildsIndexesOn: [] },
  querynode: { specKey: 'queryNode', replicas: 'scalable', minors: ['2.5', '2.6'], buildsIndexesOn: [] },
  datanode: { specKey: 'dataNode', replicas: 'scalable', minors: ['2.5', '2.6'], buildsIndexesOn: ['2.6'] },
  indexnode: {
    specKey: 'indexNode',
    replicas: 'scalable',
    minors: ['2.5'],
    buildsIndexesOn: ['2.5'],
    notRunMessage: 'is not used by Milvus 2.6 (data nodes build indexes there); size milvus.dataNode instead',
  },
  streamingnode: {
    specKey: 'streamingNode',
    replicas: 'fixed',
    maxReplicas: 64,
    minors: ['2.6'],
    buildsIndexesOn: [],
    notRunMessage: 'requires Milvus 2.6; Milvus 2.5 has no streaming nodes',
  },
} as const satisfies Readonly<Record<MilvusRole, MilvusRoleDefinition>>;

type Table = typeof MILVUS_ROLES;

/** MilvusSpec keys of the autoscaled roles (each a ScalableRoleSpec, resolved to a ResolvedScalableRole). */
export type MilvusScalableRoleKey = Extract<Table[MilvusRole], { replicas: 'scalable' }>['specKey'];

/** MilvusSpec keys of the fixed-count roles (each a FixedRoleSpec, resolved to a ResolvedFixedRole). */
export type MilvusFixedRoleKey = Extract<Table[MilvusRole], { replicas: 'fixed' }>['specKey'];

/** The roles, in table order. */
export const MILVUS_ROLE_NAMES: readonly MilvusRole[] = Object.keys(MILVUS_ROLES) as MilvusRole[];

/** The roles a minor runs, in table order. */
export function milvusRolesOf(minor: MilvusMinor): MilvusRole[] {
  return MILVUS_ROLE_NAMES.filter((role) => (MILVUS_ROLES[role].minors as readonly MilvusMinor[]).includes(minor));
}

/** The role that builds indexes on a minor: index nodes on 2.5, data nodes on 2.6. */
export function indexBuilderOf(minor: MilvusMinor): MilvusRole {
  const role = MILVUS_ROLE_NAMES.find((r) => (MILVUS_ROLES[r].buildsIndexesOn as readonly MilvusMinor[]).includes(minor));
  if (role === undefined) throw new Error(`no Milvus role builds indexes on ${minor}`);
  return role;
}

/** A role of a resolved Milvus with its sizing. */
export type ResolvedMilvusRole =
  | {
      /** The role. */
      readonly role: MilvusRole;
      /** Bounds for an autoscaler. */
      readonly replicas: 'scalable';
      /** The resolved sizing, `ResolvedMilvus[specKey]`. */
      readonly sizing: ResolvedScalableRole;
    }
  | {
      /** The role. */
      readonly role: MilvusRole;
      /** One fixed count. */
      readonly replicas: 'fixed';
      /** The resolved sizing, `ResolvedMilvus[specKey]`. */
      readonly sizing: ResolvedFixedRole;
    };

/**
 * The roles a resolved Milvus sizes, in table order. ResolvedMilvus's union on the minor makes
 * these exactly the roles its minor runs (`milvusRolesOf(m.minor)`); on a spec that failed
 * validation, they are the roles applyDefaults resolved.
 */
export function resolvedMilvusRoles(m: ResolvedMilvus): ResolvedMilvusRole[] {
  const roles: ResolvedMilvusRole[] = [];
  for (const role of MILVUS_ROLE_NAMES) {
    const def = MILVUS_ROLES[role];
    if (def.replicas === 'fixed') {
      const sizing = m[def.specKey];
      if (sizing !== undefined) roles.push({ role, replicas: 'fixed', sizing });
    } else {
      const sizing = m[def.specKey];
      if (sizing !== undefined) roles.push({ role, replicas: 'scalable', sizing });
    }
  }
  return roles;
}

// The table and ResolvedMilvus agree: on each minor, the roles it runs are exactly the required
// role fields of that minor's ResolvedMilvus, and the other role fields can only be absent
// (a mismatch fails the type check here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type RoleKeysOn<M extends MilvusMinor> = { [R in MilvusRole]: M extends Table[R]['minors'][number] ? Table[R]['specKey'] : never }[MilvusRole];
type RequiredRoleKeys<V> = { [K in MilvusRoleKey]-?: object extends Pick<V, K & keyof V> ? never : K }[MilvusRoleKey];
type AbsentRoleKeys<V> = { [K in MilvusRoleKey]-?: V extends { [k in K]?: undefined } ? K : never }[MilvusRoleKey];
type AgreesOn<M extends MilvusMinor, V = Extract<ResolvedMilvus, { minor: M }>> = [
  Same<RoleKeysOn<M>, RequiredRoleKeys<V>>,
  Same<Exclude<MilvusRoleKey, RoleKeysOn<M>>, AbsentRoleKeys<V>>,
];
const _agree: [AgreesOn<'2.5'>, AgreesOn<'2.6'>] = [
  [true, true],
  [true, true],
];
