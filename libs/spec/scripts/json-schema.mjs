// The published JSON Schema of the ClusterSpec (schema/cluster-spec.schema.json): the TypeBox
// declaration of src/schema.ts as plain JSON, each type and field described by its doc comment in
// that file (the text editors show, `@default` included), so the one declaration is also the
// schema's documentation. A test keeps the committed file equal to what this generates.
import ts from 'typescript';

/** The text of the `/** ... *\/` comment just before `node`, on one line; undefined without one. */
function docOf(node, source) {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const doc = ranges
    .map((r) => source.text.slice(r.pos, r.end))
    .filter((c) => c.startsWith('/**'))
    .pop();
  if (doc === undefined) return undefined;
  return doc
    .slice(3, -2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, ''))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The doc comments of a declaration file, by schema title: the type's own (its `export type` alias)
 * and each field's (a property of an `Obj('<title>', { ... })` or `PartialRecord('<title>', ...)`).
 */
export function schemaDocs(text) {
  const source = ts.createSourceFile('schema.ts', text, ts.ScriptTarget.ES2022, true);
  const docs = new Map();
  const entry = (title) => docs.get(title) ?? docs.set(title, { doc: undefined, fields: new Map() }).get(title);
  const visit = (node) => {
    if (ts.isTypeAliasDeclaration(node)) {
      const doc = docOf(node, source);
      if (doc !== undefined) entry(node.name.text).doc = doc;
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Obj') {
      const [title, properties] = node.arguments;
      if (title && ts.isStringLiteral(title) && properties && ts.isObjectLiteralExpression(properties)) {
        for (const p of properties.properties) {
          const doc = docOf(p, source);
          if (doc !== undefined && p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) entry(title.text).fields.set(p.name.text, doc);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return docs;
}

/** `node` as plain JSON with descriptions: a field's doc comment first, else a description it was given, else its type's doc; `title` and `description` lead. */
function describe(node, docs, fieldDoc) {
  if (Array.isArray(node)) return node.map((n) => describe(n, docs));
  if (typeof node !== 'object' || node === null) return node;
  const own = typeof node.title === 'string' ? docs.get(node.title) : undefined;
  const description = fieldDoc ?? node.description ?? own?.doc;
  const out = {};
  if (node.title !== undefined) out.title = node.title;
  if (description !== undefined) out.description = description;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'title' || key === 'description') continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, describe(s, docs, own?.fields.get(name))]));
    } else out[key] = describe(value, docs);
  }
  return out;
}

/** The JSON Schema document of `clusterSpec` (the TypeBox declaration), described from `declarationText` (src/schema.ts). */
export function clusterSpecJsonSchema(clusterSpec, declarationText) {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from libs/spec/src/schema.ts by `pnpm --filter @milvus-gitops/spec schema`: edit the declaration, not this file. `errorMessage` holds the words of validation messages (as ajv-errors reads them).',
    ...describe(JSON.parse(JSON.stringify(clusterSpec)), schemaDocs(declarationText)),
  };
}
