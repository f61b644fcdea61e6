// A worker thread of `validate`: checks its share of the files (see check.ts) and posts the result.

import { parentPort, workerData } from 'node:worker_threads';
import { SchemaValidator, folderSource, upstreamSource } from '@milvus-gitops/k8s-schema';
import { checkFiles, type VersionPlan } from './check.js';
import type { InputFile } from './inputs.js';

/** What the main thread hands a worker. */
export interface WorkerInput {
  /** A schema folder, or `upstream`. */
  readonly schemas: string;
  readonly cacheDir: string | false | undefined;
  readonly files: readonly InputFile[];
  readonly plan: VersionPlan;
}

const input = workerData as WorkerInput;
const source = input.schemas === 'upstream' ? upstreamSource() : folderSource(input.schemas);
const validator = await SchemaValidator.load(source, input.cacheDir === undefined ? {} : { cacheDir: input.cacheDir });
const result = await checkFiles(validator, input.files, input.plan, async () => {
  throw new Error('standard input is read by the main thread');
});
validator.saveCodeCache();
parentPort!.postMessage(result);
