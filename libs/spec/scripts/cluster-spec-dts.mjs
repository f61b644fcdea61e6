// The ClusterSpec type as a plain declaration file (schema/cluster-spec.d.ts), generated from the
// published JSON Schema by json-schema-to-typescript: what clusters/<name>/cluster.ts imports
// (`@milvus-gitops/spec/cluster-spec`). Type-checking a cluster against it reads one small file
// instead of the TypeBox declaration and TypeBox's own types (260 files), which is most of the
// type check in a one-cluster render. Every field keeps its doc comment, `@default` included: the
// schemas' titles are dropped before generating, so that each description stays on its field
// instead of moving to a named type. A test keeps the committed file equal to what this generates,
// and the type equal to the declaration's (test/cluster-spec-dts.ts).
import { compile } from 'json-schema-to-typescript';

/** `node` without `title` (below the root), `errorMessage` and `$comment`. */
function untitled(node, root = true) {
  if (Array.isArray(node)) return node.map((n) => untitled(n, false));
  if (typeof node !== 'object' || node === null) return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'errorMessage' || k === '$comment' || (k === 'title' && !root)) continue;
    out[k] = untitled(v, false);
  }
  return out;
}

/** The declaration file's text (unformatted) for the published JSON Schema `schema`. */
export async function clusterSpecDts(schema) {
  return compile(untitled(schema), 'ClusterSpec', {
    bannerComment:
      '// Generated from schema/cluster-spec.schema.json by `pnpm --filter @milvus-gitops/spec schema`\n' +
      '// (json-schema-to-typescript): edit libs/spec/src/schema.ts, not this file.',
    additionalProperties: false,
    format: false,
    unknownAny: true,
    strictIndexSignatures: true,
    // A list with `minItems: 1` would become a tuple type; the declaration's is a plain array (ajv says "must list at least one").
    ignoreMinAndMaxItems: true,
  });
}
