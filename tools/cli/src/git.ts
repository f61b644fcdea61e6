// A thin, typed wrapper over the git command line: the real git is the library here (plumbing,
// transports, credentials and hooks behave exactly as they do for the people running it).

import { execFile } from 'node:child_process';

/** A git command that failed, with what git said. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (exit ${code}): ${stderr.trim() || '(no output)'}`);
    this.name = 'GitError';
  }
}

/** Options of one git invocation. */
export interface GitOptions {
  /** Working directory (the repository). */
  readonly cwd: string;
  /** Extra environment (GIT_INDEX_FILE, GIT_WORK_TREE...). @default none */
  readonly env?: Record<string, string>;
  /** Standard input. @default none */
  readonly input?: string;
}

/** Runs git and returns stdout; throws GitError on a non-zero exit. */
export function git(args: readonly string[], opts: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', [...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, maxBuffer: 256 << 20 }, (error, stdout, stderr) => {
      if (error) {
        const code = typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 1;
        reject(new GitError(args, code, String(stderr)));
      } else resolve(String(stdout));
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Like `git`, but returns undefined instead of throwing (for probes such as "does this ref exist"). */
export async function gitMaybe(args: readonly string[], opts: GitOptions): Promise<string | undefined> {
  try {
    return await git(args, opts);
  } catch (e) {
    if (e instanceof GitError) return undefined;
    throw e;
  }
}
