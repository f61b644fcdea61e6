// Writes the schema mirror (../shared/schemas layout) in the layout kubeconform reads, so that the
// benchmark compares both validators on the same schemas: one self-contained strict JSON Schema
// per Kubernetes kind (`<dir>/v1.29.0-standalone-strict/deployment-apps-v1.json`, the layout of
// kubeconform's default location) and one per CRD version (`<dir>/crds/<group>/<kind>_<version>.json`).
// Strict as kubeconform's `-strict` schemas are: objects that list properties allow no others.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

function strict(schema, resolve, seen = new Set()) {
  if (Array.isArray(schema)) return schema.map((s) => strict(s, resolve, seen));
  if (!schema || typeof schema !== 'object') return schema;
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/definitions/', '');
    // A recursive definition (only JSONSchemaProps, in CRD objects) is left open.
    if (seen.has(name)) return {};
    return strict(resolve(name), resolve, new Set([...seen, name]));
  }
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'description' || k.startsWith('x-kubernetes-validations')) continue;
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, strict(s, resolve, seen)]));
    else out[k] = typeof v === 'object' ? strict(v, resolve, seen) : v;
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) out.additionalProperties = false;
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (out.format === 'int-or-string') delete out.format;
  return out;
}

/** Writes schemas for the kinds in `kinds` (`apiVersion/kind` strings); returns the two -schema-location templates. */
export function writeKubeconformSchemas(mirror, dir, kinds, minor) {
  const defs = JSON.parse(readFileSync(join(mirror, 'kubernetes', `v${minor}.0`, '_definitions.json'), 'utf8')).definitions;
  const k8sDir = join(dir, `v${minor}.0-standalone-strict`);
  mkdirSync(k8sDir, { recursive: true });
  for (const [name, def] of Object.entries(defs)) {
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) {
      const apiVersion = g.group ? `${g.group}/${g.version}` : g.version;
      if (!kinds.has(`${apiVersion}/${g.kind}`)) continue;
      const parts = apiVersion.split('/');
      const suffix = `-${parts[0].split('.')[0].toLowerCase()}${parts.length > 1 ? `-${parts[1].toLowerCase()}` : ''}`;
      writeFileSync(join(k8sDir, `${g.kind.toLowerCase()}${suffix}.json`), JSON.stringify(strict({ $ref: `#/definitions/${name}` }, (n) => defs[n])));
    }
  }
  for (const project of readdirSync(join(mirror, 'crds'))) {
    for (const f of readdirSync(join(mirror, 'crds', project)).filter((f) => f.endsWith('.yaml'))) {
      const crd = parseYaml(readFileSync(join(mirror, 'crds', project, f), 'utf8'));
      for (const v of crd.spec.versions) {
        if (!v.schema?.openAPIV3Schema) continue;
        const out = join(dir, 'crds', crd.spec.group);
        mkdirSync(out, { recursive: true });
        writeFileSync(join(out, `${crd.spec.names.kind.toLowerCase()}_${v.name}.json`), JSON.stringify(strict(v.schema.openAPIV3Schema, () => ({}))));
      }
    }
  }
  return [
    join(dir, '{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json'),
    join(dir, 'crds/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'),
  ];
}
