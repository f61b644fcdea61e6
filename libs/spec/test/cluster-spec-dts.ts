// Compile-time check (the typecheck task compiles test/): the ClusterSpec that clusters import,
// generated into schema/cluster-spec.d.ts, is the declaration's type. Both are normalized (objects
// mapped field by field, recursively, through lists and optional sections; unions member by member)
// and compared for identity, so a field missing, extra, optional on one side only or of another
// type, at any depth and in any member of a union, fails the type check here.
import type { ClusterSpec as Published } from '../schema/cluster-spec.js';
import type { ClusterSpec as Declared } from '../src/types.js';

/** T with every object type rewritten as a plain mapped type, recursively (unions distribute). */
type Norm<T> = T extends readonly (infer E)[] ? Norm<E>[] : T extends object ? { [K in keyof T]: Norm<T[K]> } : T;
/** Whether X and Y are the same type (not merely assignable to each other). */
type Same<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

export const publishedIsDeclared: Same<Norm<Published>, Norm<Declared>> = true;

// The check itself can fail: a field added deep inside an optional section, or to one union member.
type Workload = NonNullable<Declared['workload']>;
type Deeper = Omit<Declared, 'workload'> & {
  workload?: Omit<Workload, 'collections'> & { collections?: (NonNullable<Workload['collections']>[number] & { extra?: number })[] };
};
// @ts-expect-error -- an extra optional field three levels down is a different type
export const deeperIsDeclared: Same<Norm<Deeper>, Norm<Declared>> = true;
type Queue = NonNullable<Declared['milvus']['messageQueue']>;
type Member = Omit<Declared, 'milvus'> & {
  milvus: Omit<Declared['milvus'], 'messageQueue'> & {
    messageQueue?: Exclude<Queue, { type: 'woodpecker' }> | (Extract<Queue, { type: 'woodpecker' }> & { extra?: string });
  };
};
// @ts-expect-error -- one union member with an extra field is a different type
export const memberIsDeclared: Same<Norm<Member>, Norm<Declared>> = true;
