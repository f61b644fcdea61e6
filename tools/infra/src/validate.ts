// `terraform init -backend=false` and `terraform validate` on synthesized stacks, offline: the AWS
// provider comes only from a local filesystem mirror, through a CLI config written to a temp dir
// and passed to the child process alone (TF_CLI_CONFIG_FILE), never the user's ~/.terraformrc.

import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/** Options of validateStacks. */
export interface TerraformValidateOptions {
  /** Filesystem mirror holding registry.terraform.io/hashicorp/aws/<version>/<os_arch>/. */
  readonly mirror: string;
  /**
   * Validate against this provider version instead of the one the bindings pin (an override file
   * in the temp copy); for a mirror that lacks the pinned version. Not what `terraform apply` uses.
   */
  readonly providerVersion?: string;
  /** The terraform binary. @default 'terraform' */
  readonly terraform?: string;
}

/** The outcome of one stack. */
export interface StackValidation {
  readonly cluster: string;
  readonly ok: boolean;
  /** The provider version validated against. */
  readonly providerVersion: string;
  /** terraform's output of the failing step (or of validate). */
  readonly output: string;
}

/** Where Terraform's implied local mirrors are on Linux and macOS, then TF_PROVIDER_MIRROR first. */
export function defaultMirror(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.TF_PROVIDER_MIRROR,
    join(homedir(), '.terraform.d', 'plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
    '/opt/tf-plugins',
  ];
  return candidates.find((d): d is string => !!d && existsSync(join(d, 'registry.terraform.io', 'hashicorp', 'aws')));
}

/** The AWS provider versions a mirror holds. */
export function mirroredAwsVersions(mirror: string): string[] {
  const dir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 127) : 0;
      resolve({ code, output: `${stdout}${stderr}${err && code === 127 ? String(err.message) : ''}` });
    });
  });
}

/** Runs init and validate on each stack file (cluster -> cdk.tf.json), each in its own temp copy. */
export async function validateStacks(files: Readonly<Record<string, string>>, options: TerraformValidateOptions): Promise<StackValidation[]> {
  const root = await mkdtemp(join(tmpdir(), 'infra-validate-'));
  const config = join(root, 'terraform.rc');
  // Only the mirror: a provider missing from it fails init instead of reaching the registry.
  await writeFile(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(options.mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', TF_INPUT: '0' };
  delete env.TF_PLUGIN_CACHE_DIR;
  const terraform = options.terraform ?? 'terraform';
  const mirrored = mirroredAwsVersions(options.mirror);
  return Promise.all(
    Object.entries(files).map(async ([cluster, file]): Promise<StackValidation> => {
      const dir = join(root, cluster);
      await mkdir(dir);
      await copyFile(file, join(dir, 'cdk.tf.json'));
      const pinned = String(
        (JSON.parse(await readFile(file, 'utf8')) as { terraform?: { required_providers?: { aws?: { version?: string } } } }).terraform?.required_providers?.aws
          ?.version ?? '',
      );
      const providerVersion = options.providerVersion ?? pinned;
      if (options.providerVersion && options.providerVersion !== pinned) {
        await writeFile(
          join(dir, 'provider_override.tf.json'),
          JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: options.providerVersion } } } }),
        );
      } else if (!mirrored.includes(pinned)) {
        return {
          cluster,
          ok: false,
          providerVersion,
          output: `the stack pins hashicorp/aws ${pinned} (the version @cdktf/provider-aws was generated for); the mirror ${options.mirror} holds ${mirrored.join(', ') || 'none'}. Add ${pinned} to the mirror, or pass --provider-version ${mirrored.at(-1) ?? '<version>'} to validate against another version.`,
        };
      }
      const init = await run(terraform, ['init', '-backend=false', '-input=false', '-no-color'], dir, env);
      if (init.code !== 0) return { cluster, ok: false, providerVersion, output: init.output };
      const validate = await run(terraform, ['validate', '-no-color'], dir, env);
      return { cluster, ok: validate.code === 0, providerVersion, output: validate.output };
    }),
  );
}
