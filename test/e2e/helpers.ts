// Running the real command line and reading rendered trees.
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const GITOPS = join(REPO, 'tools/cli/bin/gitops.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and returns its status and output (never throws on exit != 0). */
export async function run(cmd: string, args: readonly string[], cwd = REPO, env?: NodeJS.ProcessEnv): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(cmd, [...args], { cwd, maxBuffer: 64 << 20, ...(env ? { env } : {}) });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export const gitops = (...args: string[]): Promise<Run> => run(process.execPath, [GITOPS, ...args]);

/** Every rendered file under `dir`, relative path -> content (the CLI's own reader). */
export { readRenderedTree as readTree } from '@milvus-gitops/cli';
