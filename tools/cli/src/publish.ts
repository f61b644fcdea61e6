// `gitops publish`: one commit on branch `rendered` whose tree is exactly rendered/, built with git
// plumbing (a private index, write-tree, commit-tree): no checkout, no churn in the working tree.
// A push that loses a race is retried on the new tip, so concurrent publishes both land.

import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { git, GitError, gitMaybe } from './git.js';

/** Options of `publish`. */
export interface PublishOptions {
  /** The source repository (its HEAD is the Source-Commit). */
  readonly repo: string;
  /** The folder whose content becomes the branch's tree. @default <repo>/rendered */
  readonly renderedDir?: string;
  /** Remote to push to. @default 'origin' */
  readonly remote?: string;
  /** Branch to commit to. @default 'rendered' */
  readonly branch?: string;
  /** Publish even if the source has uncommitted changes (the trailer would then lie). @default false */
  readonly allowDirty?: boolean;
  /** Pushes tried before giving up on a busy branch. @default 5 */
  readonly maxAttempts?: number;
  /** Checks the output before anything is committed; returns problems (empty = fine). @default a parse check */
  readonly check?: (dir: string) => Promise<string[]>;
}

/** What a publish did. */
export interface PublishResult {
  /** `published` made a commit and pushed it; `unchanged` found the branch already holding this tree. */
  readonly status: 'published' | 'unchanged';
  /** The commit now at the tip of the branch. */
  readonly commit: string;
  /** The source commit rendered. */
  readonly sourceCommit: string;
  /** Pushes it took (more than one when another publish landed in between). */
  readonly attempts: number;
}

/** A publish that cannot proceed, phrased for the person running it. */
export class PublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PublishError';
  }
}

const IDENTITY = { GIT_AUTHOR_NAME: 'milvus-gitops', GIT_AUTHOR_EMAIL: 'gitops@users.noreply.local' };

/** The tree of `dir` as a git tree object in `repo`, written through a private index. */
async function writeTree(repo: string, dir: string): Promise<string> {
  const gitDir = (await git(['rev-parse', '--absolute-git-dir'], { cwd: repo })).trim();
  const scratch = await mkdtemp(join(tmpdir(), 'gitops-index-'));
  const env = { GIT_INDEX_FILE: join(scratch, 'index') };
  try {
    // -f: the folder is usually git-ignored on main; autocrlf off: bytes go in exactly as rendered.
    await git(['-c', 'core.autocrlf=false', `--git-dir=${gitDir}`, `--work-tree=${dir}`, 'add', '-A', '-f', '--', '.'], { cwd: dir, env });
    return (await git([`--git-dir=${gitDir}`, 'write-tree'], { cwd: dir, env })).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Every rendered file parses as a Kubernetes object; the stand-in until `validate` runs here. */
export async function parseCheck(dir: string): Promise<string[]> {
  const problems: string[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile());
  if (files.length === 0) return [`${dir} holds no rendered files; run gitops render first`];
  for (const e of files) {
    const path = join(e.parentPath, e.name);
    const rel = path.slice(dir.length + 1);
    if (!rel.endsWith('.yaml')) {
      problems.push(`${rel}: not a rendered manifest (only .yaml files are published)`);
      continue;
    }
    try {
      const doc = parse(await readFile(path, 'utf8')) as Record<string, unknown> | null;
      const meta = doc?.metadata as Record<string, unknown> | undefined;
      if (!doc || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' || typeof meta?.name !== 'string') {
        problems.push(`${rel}: not a Kubernetes object (apiVersion, kind and metadata.name are required)`);
      }
    } catch (err) {
      problems.push(`${rel}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return problems;
}

function isRace(e: unknown): boolean {
  return e instanceof GitError && /\[rejected\]|non-fast-forward|fetch first|cannot lock ref|stale info/i.test(e.stderr);
}

/** Publishes rendered/ to the branch; see the module comment. */
export async function publish(opts: PublishOptions): Promise<PublishResult> {
  const repo = resolve(opts.repo);
  const dir = resolve(opts.renderedDir ?? join(repo, 'rendered'));
  const remote = opts.remote ?? 'origin';
  const branch = opts.branch ?? 'rendered';
  const maxAttempts = opts.maxAttempts ?? 5;
  if (!existsSync(dir)) throw new PublishError(`${dir} does not exist; run gitops render first`);

  const sourceCommit = (await git(['rev-parse', 'HEAD'], { cwd: repo })).trim();
  const short = (await git(['rev-parse', '--short', 'HEAD'], { cwd: repo })).trim();
  const subject = (await git(['log', '-1', '--format=%s', 'HEAD'], { cwd: repo })).trim();
  if (!opts.allowDirty) {
    const dirty = (await git(['status', '--porcelain'], { cwd: repo })).trim();
    if (dirty) {
      throw new PublishError(
        `the source has uncommitted changes, so rendered/ would not match Source-Commit ${short}:\n${dirty}\ncommit them (or pass --allow-dirty)`,
      );
    }
  }
  const problems = await (opts.check ?? parseCheck)(dir);
  if (problems.length > 0) throw new PublishError(`refusing to publish output that fails validation:\n  ${problems.join('\n  ')}`);

  const tree = await writeTree(repo, dir);
  const hasIdentity = process.env.GIT_AUTHOR_NAME || (await gitMaybe(['config', 'user.name'], { cwd: repo }))?.trim();
  const env = hasIdentity ? {} : { ...IDENTITY, GIT_COMMITTER_NAME: IDENTITY.GIT_AUTHOR_NAME, GIT_COMMITTER_EMAIL: IDENTITY.GIT_AUTHOR_EMAIL };
  const message = `Render ${short}: ${subject}\n\nSource-Commit: ${sourceCommit}\n`;
  const trackingRef = `refs/gitops/${remote}/${branch}`;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let tip: string | undefined;
    try {
      const heads = (await git(['ls-remote', '--heads', remote, `refs/heads/${branch}`], { cwd: repo })).trim();
      if (heads) {
        await git(['fetch', '--no-tags', '--quiet', remote, `+refs/heads/${branch}:${trackingRef}`], { cwd: repo });
        tip = (await git(['rev-parse', trackingRef], { cwd: repo })).trim();
      }
    } catch (e) {
      throw new PublishError(`cannot read branch ${branch} from remote ${remote}: ${(e as Error).message}`);
    }
    if (tip && (await git(['rev-parse', `${tip}^{tree}`], { cwd: repo })).trim() === tree) {
      return { status: 'unchanged', commit: tip, sourceCommit, attempts: attempt };
    }
    const commit = (await git(['commit-tree', tree, ...(tip ? ['-p', tip] : []), '-F', '-'], { cwd: repo, env, input: message })).trim();
    try {
      await git(['push', '--quiet', remote, `${commit}:refs/heads/${branch}`], { cwd: repo });
      return { status: 'published', commit, sourceCommit, attempts: attempt };
    } catch (e) {
      if (isRace(e) && attempt < maxAttempts) continue;
      if (isRace(e)) throw new PublishError(`branch ${branch} on ${remote} kept moving; gave up after ${maxAttempts} pushes`);
      throw new PublishError(`cannot push to remote ${remote}: ${(e as Error).message}`);
    }
  }
  throw new PublishError(`unreachable: no publish attempt made`);
}
