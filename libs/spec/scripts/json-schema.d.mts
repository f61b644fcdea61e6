// Types of json-schema.mjs, for the test that keeps the published schema equal to the declaration.
import type { TSchema } from '@sinclair/typebox';

/** A type's doc comment and its fields', by field name. */
export interface TypeDocs {
  doc: string | undefined;
  fields: Map<string, string>;
}

/** The doc comments of a declaration file, by schema title. */
export function schemaDocs(text: string): Map<string, TypeDocs>;

/** The JSON Schema document of `clusterSpec`, described from `declarationText` (src/schema.ts). */
export function clusterSpecJsonSchema(clusterSpec: TSchema, declarationText: string): Record<string, unknown>;
