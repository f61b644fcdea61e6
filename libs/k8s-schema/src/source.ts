// Where schemas come from: a local folder laid out like the upstream mirror (what tests and CI
// read), or the pinned upstream files, fetched once, checked against their SHA-256 and cached.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** One pinned upstream file. */
export interface PinnedFile {
  /** Path inside a schema folder (`kubernetes/v1.29.0/_definitions.json`, `crds/flux/...yaml`). */
  readonly path: string;
  /** Raw URL at a fixed commit. */
  readonly url: string;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
}

const raw = (repo: string, commit: string, path: string) => `https://raw.githubusercontent.com/${repo}/${commit}/${path}`;
const CDK8S = ['cdk8s-team/cdk8s', '71f8cba7ecc809d861e837e842217202d5e5a16c'] as const;
const KARPENTER = ['aws/karpenter-provider-aws', '1d927085dd81a9df9301e613f371dac5b4d16bfe'] as const;
const KUSTOMIZE = ['fluxcd/kustomize-controller', '186fb3b29138ce82ff61ba1a9370b96a3dd598fe'] as const;
const SOURCE = ['fluxcd/source-controller', '39b711b111fa906c3db0a424e252a5d12e48646d'] as const;
const HELM = ['fluxcd/helm-controller', '0f61a8607a62be64638f2f912d9487e653960a6e'] as const;
const PROM = ['prometheus-operator/prometheus-operator', '6adcebc5076c34f4f55f8f5f7b1e528929373ac7'] as const;
const KEDA = ['kedacore/keda', '8b4f083ca8c8c2baf8477e322bd4d16ac4dfa09a'] as const;

function pin(path: string, [repo, commit]: readonly [string, string], upstreamPath: string, sha256: string): PinnedFile {
  return { path, url: raw(repo, commit, upstreamPath), sha256 };
}

/** The upstream files this repository validates against (see the schema mirror's SOURCES.md). */
export const PINNED_FILES: readonly PinnedFile[] = [
  pin(
    'kubernetes/v1.29.0/_definitions.json',
    CDK8S,
    'kubernetes-schemas/v1.29.0/_definitions.json',
    '522b38c0a75cb25f9fc1672dc5e5ad7bdf418cbad3e9b5b9fadb57dde8dfea99',
  ),
  pin(
    'kubernetes/v1.33.0/_definitions.json',
    CDK8S,
    'kubernetes-schemas/v1.33.0/_definitions.json',
    '58ea1d4c5b1c7d13fecab9aaad1a2a3187607b704219ddf1794211bfcb3cdb12',
  ),
  pin(
    'crds/karpenter/karpenter.sh_nodepools.yaml',
    KARPENTER,
    'pkg/apis/crds/karpenter.sh_nodepools.yaml',
    'ff2b3e88a9b8f5331ac8f61930f4f7d4169d6ab9c926224ea5eec326843b8c84',
  ),
  pin(
    'crds/karpenter/karpenter.sh_nodeclaims.yaml',
    KARPENTER,
    'pkg/apis/crds/karpenter.sh_nodeclaims.yaml',
    '16ddf22aa9a08d2536ebd1255a823cae53daa4ae39aae940714202b5705fb93e',
  ),
  pin(
    'crds/karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml',
    KARPENTER,
    'pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml',
    '38d34b9c6a18cd60c87502af06bc6008408a00908384fb2d28c33ee8a68b7d48',
  ),
  pin(
    'crds/flux/kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    KUSTOMIZE,
    'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml',
    'da23ca0e6b4c80d3d26a91583137491e147ef4ef1e2208aece0d0af4ef851974',
  ),
  pin(
    'crds/flux/source.toolkit.fluxcd.io_gitrepositories.yaml',
    SOURCE,
    'config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml',
    'bd0c08183287b2eea0d885751fc686bc4b2b583e919de6bd57859170b8d1727f',
  ),
  pin(
    'crds/flux/source.toolkit.fluxcd.io_helmrepositories.yaml',
    SOURCE,
    'config/crd/bases/source.toolkit.fluxcd.io_helmrepositories.yaml',
    '0f3c34df4a25c88c7ad7825ada26d696aa53d92ec2c0ca540e1f9a05db247fa9',
  ),
  pin(
    'crds/flux/source.toolkit.fluxcd.io_helmcharts.yaml',
    SOURCE,
    'config/crd/bases/source.toolkit.fluxcd.io_helmcharts.yaml',
    '3e319fc2b5c4aeaf8fa3ca161c253037e2f78177b986a0df3e85ba4853615b05',
  ),
  pin(
    'crds/flux/source.toolkit.fluxcd.io_ocirepositories.yaml',
    SOURCE,
    'config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml',
    '80c7c6e5c8de0764cc83acd4de5c74bea8e51186085304d22cecc5f2eb35500e',
  ),
  pin(
    'crds/flux/source.toolkit.fluxcd.io_buckets.yaml',
    SOURCE,
    'config/crd/bases/source.toolkit.fluxcd.io_buckets.yaml',
    '7be598fad94f7b81d99c196a649f55c70edf5b4ab9de32c13e8eda31c14f46ef',
  ),
  pin(
    'crds/flux/helm.toolkit.fluxcd.io_helmreleases.yaml',
    HELM,
    'config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml',
    'aa8638ac68465ceac1f93a617baf5be833c589c51fd78a7384a4a274c252becc',
  ),
  pin(
    'crds/prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
    PROM,
    'example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml',
    'a99047972c9dd7679ce2050b9968e8a08773492e671b3e17abd476d42aa78a32',
  ),
  pin(
    'crds/prometheus-operator/monitoring.coreos.com_podmonitors.yaml',
    PROM,
    'example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml',
    '45a93443daa687d3654f7e9631909ff7edcdf3ec09c5e60251b74aa2722aee5d',
  ),
  pin(
    'crds/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
    PROM,
    'example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml',
    '78be98554b9c8506ab2b4f4feb91c5f3a56e536a0a510f3a8e876a459970d56d',
  ),
  pin(
    'crds/prometheus-operator/monitoring.coreos.com_probes.yaml',
    PROM,
    'example/prometheus-operator-crd/monitoring.coreos.com_probes.yaml',
    'f4ead9704bd4c6303d53e4cc15670faaf0609022a5e08c0ce496286f453666b7',
  ),
  pin(
    'crds/keda/keda.sh_scaledobjects.yaml',
    KEDA,
    'config/crd/bases/keda.sh_scaledobjects.yaml',
    '207afc4ca44fd9e3f4bbfb1c8fae08f3a365e098a52714fe8eb672bbd239cbcd',
  ),
  pin(
    'crds/keda/keda.sh_triggerauthentications.yaml',
    KEDA,
    'config/crd/bases/keda.sh_triggerauthentications.yaml',
    '990851d71901905bc9bebb50cd964bfc909ca24a03dd401a626a1894bb912ecd',
  ),
];

/** Reads schema files by their mirror path. */
export interface SchemaSource {
  /** Human description, for messages (`../shared/schemas`, `upstream (cache ~/.cache/...)`). */
  readonly describe: string;
  /** Kubernetes versions available (`1.29`, `1.33`). */
  kubernetesVersions(): Promise<string[]>;
  /** Text of `kubernetes/v<minor>.0/_definitions.json`. */
  kubernetesDefinitions(minor: string): Promise<string>;
  /**
   * The definitions files of `versions` (in that order) and every CRD file (sorted by path),
   * each with a cheap identity and its text read on demand: a validator whose compile cache is
   * warm reads none of them.
   */
  files(versions: readonly string[]): Promise<{ kubernetes: SchemaFile[]; crds: SchemaFile[] }>;
}

/** One schema file, not yet read. */
export interface SchemaFile {
  /**
   * Changes whenever the content may have: a folder's file by its path, size, inode and
   * modification and change times (nanoseconds; no tool sets the change time back), a pinned
   * file by its SHA-256.
   */
  readonly identity: string;
  /** The file's text, read now. */
  read(): string;
}

/** A local file as a SchemaFile. */
function localFile(path: string): SchemaFile {
  const st = statSync(path, { bigint: true });
  return { identity: `${path}\u0000${st.size}\u0000${st.ino}\u0000${st.mtimeNs}\u0000${st.ctimeNs}`, read: () => readFileSync(path, 'utf8') };
}

/** A folder laid out like the mirror: `kubernetes/vX.Y.Z/_definitions.json`, `crds/<project>/*.yaml`. */
export function folderSource(root: string): SchemaSource {
  const crdPaths = async (): Promise<string[]> => {
    const dir = join(root, 'crds');
    const out: string[] = [];
    for (const project of (await readdir(dir)).sort()) {
      for (const f of (await readdir(join(dir, project))).sort()) if (f.endsWith('.yaml')) out.push(join(dir, project, f));
    }
    return out;
  };
  return {
    describe: root,
    async kubernetesVersions() {
      const dir = join(root, 'kubernetes');
      if (!existsSync(dir)) throw new Error(`schema folder ${root} has no kubernetes/ folder`);
      return (await readdir(dir))
        .map((v) => /^v([0-9]+\.[0-9]+)\.[0-9]+$/.exec(v)?.[1])
        .filter((v): v is string => Boolean(v))
        .sort();
    },
    async kubernetesDefinitions(minor) {
      const file = join(root, 'kubernetes', `v${minor}.0`, '_definitions.json');
      if (!existsSync(file)) throw new Error(`no Kubernetes ${minor} schemas in ${root} (expected ${file})`);
      return readFile(file, 'utf8');
    },
    async files(versions) {
      const kubernetes = versions.map((minor) => {
        const file = join(root, 'kubernetes', `v${minor}.0`, '_definitions.json');
        if (!existsSync(file)) throw new Error(`no Kubernetes ${minor} schemas in ${root} (expected ${file})`);
        return localFile(file);
      });
      return { kubernetes, crds: (await crdPaths()).map(localFile) };
    },
  };
}

/** Options of the upstream source. */
export interface UpstreamOptions {
  /** Where verified files are kept. @default ~/.cache/milvus-gitops/schemas */
  readonly cacheDir?: string;
  /** Replaces `https://raw.githubusercontent.com` (a proxy or a test server). @default none */
  readonly baseUrl?: string;
  /** The fetch to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The pinned upstream files, downloaded on first use, verified by SHA-256 and cached by hash. */
export function upstreamSource(opts: UpstreamOptions = {}): SchemaSource & { file(f: PinnedFile): Promise<string> } {
  const cacheDir = opts.cacheDir ?? join(homedir(), '.cache', 'milvus-gitops', 'schemas');
  const doFetch = opts.fetch ?? globalThis.fetch;
  async function get(file: PinnedFile): Promise<string> {
    const cached = join(cacheDir, file.sha256);
    if (existsSync(cached)) return readFile(cached, 'utf8');
    const url = opts.baseUrl ? file.url.replace('https://raw.githubusercontent.com', opts.baseUrl) : file.url;
    // Every download error says what was fetched, from where, and how to work without the network.
    const offline = `, the schema ${file.path} (pinned by SHA-256): on a machine without network, copy a schema folder laid out like ../shared/schemas and point --schemas or GITOPS_SCHEMAS at it (\`gitops schemas-pull <dir>\` fills one where there is network)`;
    let res: Response;
    try {
      res = await doFetch(url);
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot download ${url} (${cause?.code ?? cause?.message ?? (e as Error).message})${offline}`, { cause: e });
    }
    if (!res.ok) throw new Error(`cannot download ${url}: HTTP ${res.status}${offline}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const sum = createHash('sha256').update(bytes).digest('hex');
    if (sum !== file.sha256) throw new Error(`${url} has SHA-256 ${sum}, expected ${file.sha256}: refusing a schema that is not the pinned one`);
    await mkdir(dirname(cached), { recursive: true });
    await writeFile(`${cached}.tmp`, bytes);
    await rename(`${cached}.tmp`, cached);
    return bytes.toString('utf8');
  }
  const byPath = (p: string) => {
    const f = PINNED_FILES.find((x) => x.path === p);
    if (!f) throw new Error(`no pinned upstream file ${p}`);
    return f;
  };
  return {
    file: get,
    describe: `pinned upstream files (cache ${cacheDir})`,
    async kubernetesVersions() {
      return PINNED_FILES.map((f) => /^kubernetes\/v([0-9]+\.[0-9]+)\.0\//.exec(f.path)?.[1])
        .filter((v): v is string => Boolean(v))
        .sort();
    },
    async kubernetesDefinitions(minor) {
      return get(byPath(`kubernetes/v${minor}.0/_definitions.json`));
    },
    async files(versions) {
      // Downloaded (and verified) first, so that reading one later is a local read.
      const pinned = async (f: PinnedFile): Promise<SchemaFile> => {
        if (!existsSync(join(cacheDir, f.sha256))) await get(f);
        return { identity: `sha256:${f.sha256}`, read: () => readFileSync(join(cacheDir, f.sha256), 'utf8') };
      };
      const [kubernetes, crds] = await Promise.all([
        Promise.all(versions.map((minor) => pinned(byPath(`kubernetes/v${minor}.0/_definitions.json`)))),
        Promise.all(PINNED_FILES.filter((f) => f.path.startsWith('crds/')).map(pinned)),
      ]);
      return { kubernetes, crds };
    },
  };
}

/** Writes every pinned file, verified, into `dir` in the mirror layout (for machines without one). */
export async function pullPinnedFiles(dir: string, opts: UpstreamOptions = {}): Promise<number> {
  const source = upstreamSource(opts);
  for (const f of PINNED_FILES) {
    const target = join(dir, f.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(`${target}.tmp`, await source.file(f));
    await rename(`${target}.tmp`, target);
  }
  return PINNED_FILES.length;
}
