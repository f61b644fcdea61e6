// Types of cluster-spec-dts.mjs, for the test that keeps schema/cluster-spec.d.ts equal to what it generates.

/** The declaration file's text (unformatted) for the published JSON Schema `schema`. */
export function clusterSpecDts(schema: Record<string, unknown>): Promise<string>;
