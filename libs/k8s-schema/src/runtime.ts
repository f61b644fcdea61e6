// What compiled validators need at run time: the formats and the RegExp engine of Kubernetes
// schemas. One object serves both the compiler and code loaded back from the compile cache, so a
// cached validator behaves exactly like a freshly compiled one.

import { fullFormats } from 'ajv-formats/dist/formats.js';

type FormatDefinition = true | RegExp | { type: 'number' | 'string'; validate: (x: never) => boolean };

const inRange = (min: number, max: number): FormatDefinition => ({
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && n >= min && n <= max,
});

/** Every format a Kubernetes or CRD schema may name, keyed by format name. */
export const FORMATS: Record<string, FormatDefinition> = {
  ...(fullFormats as unknown as Record<string, FormatDefinition>),
  int32: inRange(-(2 ** 31), 2 ** 31 - 1),
  int64: inRange(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  byte: /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
  'int-or-string': true,
  // resource.Quantity (k8s.io/apimachinery/pkg/api/resource): the pattern controller-gen writes
  // into CRDs for it (as in Karpenter's NodePool limits), so built-in kinds are held to it too.
  quantity: /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/,
};

/** The pattern of a quantity as CRDs spell it (their `pattern`), read as the `quantity` format. */
export const QUANTITY_PATTERN = (FORMATS.quantity as RegExp).source;

/** The module name under which generated code finds this module (see CompileCache.loadFunction). */
export const RUNTIME_MODULE = '@milvus-gitops/k8s-schema/runtime';

/**
 * CRD patterns are Go (RE2) regular expressions, some with inline flags such as `(?i)`, which
 * JavaScript only accepts as RegExp flags: move them there.
 */
export const goRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    let extra = '';
    // RE2 allows `(?i)` and friends anywhere (often right after `^`); JavaScript only as flags.
    const stripped = pattern.replace(/\(\?([imsU]+)\)/g, (_, f: string) => {
      for (const c of f) if ('ims'.includes(c) && !flags.includes(c) && !extra.includes(c)) extra += c;
      return '';
    });
    return new RegExp(stripped, flags + extra);
  },
  { code: `require(${JSON.stringify(RUNTIME_MODULE)}).goRegExp` },
);
