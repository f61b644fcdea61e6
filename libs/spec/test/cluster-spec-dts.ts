// Compile-time check (the typecheck task compiles test/): the ClusterSpec that clusters import,
// generated into schema/cluster-spec.d.ts, is the declaration's type. Each direction is checked
// field by field, so a field missing, extra, optional on one side only or of another type fails
// the type check here.
import type { ClusterSpec as Published } from '../schema/cluster-spec.js';
import type { ClusterSpec as Declared } from '../src/types.js';

/** Whether A and B have the same keys, optional on the same side, with types alike (recursively). */
type Alike<A, B> = [A] extends [B]
  ? [B] extends [A]
    ? A extends readonly unknown[]
      ? B extends readonly unknown[]
        ? Alike<A[number], B[number]>
        : false
      : A extends object
        ? B extends object
          ? [keyof A] extends [keyof B]
            ? [keyof B] extends [keyof A]
              ? { [K in keyof A & keyof B]-?: Alike<A[K], B[K]> }[keyof A & keyof B] extends true
                ? OptionalKeys<A> extends OptionalKeys<B>
                  ? OptionalKeys<B> extends OptionalKeys<A>
                    ? true
                    : false
                  : false
                : false
              : false
            : false
          : false
        : true
    : false
  : false;
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

export const publishedIsDeclared: Alike<Published, Declared> = true;
export const declaredIsPublished: Alike<Declared, Published> = true;
