// The contract between the two layers, checked on real output: every IRSA-annotated
// ServiceAccount in the render has a role in the synthesized Terraform that trusts exactly that
// ServiceAccount through this cluster's OIDC provider and reaches only this cluster's bucket, and
// every such role is used by some ServiceAccount or by an EKS add-on whose ServiceAccount it trusts
// exactly; and every StorageClass provisioner in the render has its CSI driver add-on in the stack.

import {
  clusterNames,
  CSI_DRIVER_ADDONS,
  ebsCsiDriver,
  IRSA_ROLE_ANNOTATION,
  NODE_CLASS_LABEL,
  type AddonIrsaBinding,
  type ResolvedClusterSpec,
} from '@milvus-gitops/spec';
import { CLUSTER_AUTOSCALER_NAME, NODE_TEMPLATE_LABEL_TAG, PRIORITY_EXPANDER_CONFIGMAP } from '@milvus-gitops/nodes';
import { nodeClassOf, podTemplates } from '@milvus-gitops/policies';
import { describeObject, type Manifest } from '@milvus-gitops/core/manifest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed YAML/JSON of any shape, read field by field
type Obj = Record<string, any>;

/**
 * A rendered object (the fields the check reads): ServiceAccounts, HelmReleases whose chart creates
 * one, and StorageClasses.
 */
export interface RenderedServiceAccount {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { targetNamespace?: string; values?: { serviceAccount?: { name?: string; annotations?: Record<string, string> } } };
  /** A StorageClass's provisioner. */
  provisioner?: string;
  /** A StorageClass's parameters (`kmsKeyId` would need KMS grants on the driver's role). */
  parameters?: Record<string, string>;
}

/** The EKS add-ons that run under an IRSA role of this repository, with the ServiceAccount each creates. */
function addonBindings(spec: ResolvedClusterSpec): Map<string, AddonIrsaBinding> {
  return new Map([ebsCsiDriver(spec)].map((b) => [b.addon, b]));
}

/** The ServiceAccounts a render creates: plain objects, and those a HelmRelease's chart creates from its values. */
function serviceAccounts(objects: readonly RenderedServiceAccount[]): { namespace?: string; name: string; annotations: Record<string, string> }[] {
  const out: { namespace?: string; name: string; annotations: Record<string, string> }[] = [];
  for (const o of objects) {
    if (o.kind === 'ServiceAccount') out.push({ namespace: o.metadata.namespace, name: o.metadata.name, annotations: o.metadata.annotations ?? {} });
    const sa = o.kind === 'HelmRelease' ? o.spec?.values?.serviceAccount : undefined;
    if (sa?.annotations) out.push({ namespace: o.spec?.targetNamespace, name: sa.name ?? o.metadata.name, annotations: sa.annotations });
  }
  return out;
}

const ref = (token: string, type: string): string | undefined => new RegExp(`^\\$\\{${type}\\.([^.}]+)\\.[a-z_]+\\}$`).exec(token)?.[1];

/** Problems of one cluster's IRSA wiring; empty when the layers agree. */
export function crossCheck(spec: ResolvedClusterSpec, synthesized: object, objects: readonly RenderedServiceAccount[]): string[] {
  const stack = synthesized as Obj;
  const problems: string[] = [];
  const n = clusterNames(spec);
  const roles = (stack.resource?.aws_iam_role ?? {}) as Record<string, Obj>;
  const docs = (stack.data?.aws_iam_policy_document ?? {}) as Record<string, Obj>;
  const rolePolicies = Object.values((stack.resource?.aws_iam_role_policy ?? {}) as Record<string, Obj>);
  const oidcIds = Object.keys(stack.resource?.aws_iam_openid_connect_provider ?? {});
  if (oidcIds.length !== 1) problems.push(`${spec.name}: expected one OIDC provider in the Terraform, found ${oidcIds.length}`);
  const oidcArn = `\${aws_iam_openid_connect_provider.${oidcIds[0]}.arn}`;
  const oidcUrl = `aws_iam_openid_connect_provider.${oidcIds[0]}.url`;

  const irsaRoles = new Map<string, { id: string; trust: Obj }>();
  for (const [id, role] of Object.entries(roles)) {
    const trust = docs[ref(String(role.assume_role_policy), 'data.aws_iam_policy_document') ?? ''];
    if (trust?.statement?.some((s: Obj) => s.principals?.some((p: Obj) => p.type === 'Federated'))) irsaRoles.set(String(role.name), { id, trust });
  }

  /** The trust policy admits exactly `subject`, through this cluster's OIDC provider, for STS only. */
  const checkTrust = (where: string, roleName: string, trust: Obj, subject: string) => {
    for (const st of trust.statement as Obj[]) {
      const principals = (st.principals ?? []).flatMap((p: Obj) => p.identifiers);
      if (principals.length !== 1 || principals[0] !== oidcArn)
        problems.push(`${where}: role ${roleName} trusts ${principals.join(', ')}, not this cluster's OIDC provider`);
      const sub = (st.condition ?? []).filter((c: Obj) => String(c.variable).endsWith(':sub'));
      const subValues = sub.flatMap((c: Obj) => c.values);
      if (sub.length !== 1 || sub[0].test !== 'StringEquals' || subValues.length !== 1 || subValues[0] !== subject) {
        problems.push(`${where}: role ${roleName} admits ${subValues.join(', ') || 'any subject'}, not exactly ${subject}`);
      }
      if (sub.some((c: Obj) => !String(c.variable).includes(oidcUrl))) problems.push(`${where}: role ${roleName} checks the subject of another issuer`);
      const aud = (st.condition ?? []).filter((c: Obj) => String(c.variable).endsWith(':aud')).flatMap((c: Obj) => c.values);
      if (aud.length !== 1 || aud[0] !== 'sts.amazonaws.com')
        problems.push(`${where}: role ${roleName} admits audience ${aud.join(', ') || 'any'}, not exactly sts.amazonaws.com`);
    }
  };

  const used = new Set<string>();
  for (const sa of serviceAccounts(objects).filter((a) => a.annotations[IRSA_ROLE_ANNOTATION])) {
    const where = `${spec.name}: ServiceAccount ${sa.namespace}/${sa.name}`;
    const arn = sa.annotations[IRSA_ROLE_ANNOTATION]!;
    const m = /^arn:aws:iam::([0-9]{12}):role\/(.+)$/.exec(arn);
    if (!m) {
      problems.push(`${where}: ${IRSA_ROLE_ANNOTATION} (${arn}) is not an IAM role ARN`);
      continue;
    }
    if (m[1] !== spec.aws.accountId) problems.push(`${where}: role ${arn} is in account ${m[1]}, the cluster is in ${spec.aws.accountId}`);
    const role = irsaRoles.get(m[2]!);
    if (!role) {
      problems.push(`${where}: role ${m[2]} is not in the Terraform of ${spec.name}`);
      continue;
    }
    used.add(m[2]!);
    checkTrust(where, m[2]!, role.trust, `system:serviceaccount:${sa.namespace}:${sa.name}`);
    // Each workload reaches its own bucket only: the etcd snapshots' bucket for the backup job,
    // the Milvus bucket for everything else.
    const workload = Object.values(n.irsa).find((b) => b.namespace === sa.namespace && b.serviceAccount === sa.name)?.workload;
    const own = workload === 'etcd-backup' ? { arn: n.etcdBackupBucketArn, name: n.etcdBackupBucket } : { arn: n.bucketArn, name: n.bucket };
    for (const rp of rolePolicies.filter((p) => ref(String(p.role), 'aws_iam_role') === role.id)) {
      const doc = docs[ref(String(rp.policy), 'data.aws_iam_policy_document') ?? ''];
      for (const st of (doc?.statement ?? []) as Obj[]) {
        if (!(st.actions as string[]).some((a) => a.startsWith('s3:'))) continue;
        for (const r of st.resources as string[]) {
          if (r !== own.arn && !r.startsWith(`${own.arn}/`)) problems.push(`${where}: role ${m[2]} grants S3 on ${r}, outside bucket ${own.name}`);
        }
      }
    }
  }
  // EKS add-ons: the add-on creates its ServiceAccount, so the role's user is the add-on.
  const addons = Object.values((stack.resource?.aws_eks_addon ?? {}) as Record<string, Obj>);
  const bindings = addonBindings(spec);
  const attachments = Object.values((stack.resource?.aws_iam_role_policy_attachment ?? {}) as Record<string, Obj>);
  for (const addon of addons) {
    const where = `${spec.name}: EKS add-on ${addon.addon_name}`;
    const binding = bindings.get(String(addon.addon_name));
    const roleId = addon.service_account_role_arn === undefined ? undefined : ref(String(addon.service_account_role_arn), 'aws_iam_role');
    if (!binding) {
      if (addon.service_account_role_arn !== undefined)
        problems.push(`${where}: runs under ${addon.service_account_role_arn}, but libs/spec names no ServiceAccount for it`);
      continue;
    }
    const [name, role] = [...irsaRoles].find(([, r]) => r.id === roleId) ?? [];
    if (!name || !role) {
      problems.push(`${where}: runs under ${addon.service_account_role_arn ?? 'no role'}, not an IRSA role of ${spec.name} (expected ${binding.roleName})`);
      continue;
    }
    used.add(name);
    if (name !== binding.roleName) problems.push(`${where}: runs under role ${name}, libs/spec names ${binding.roleName}`);
    checkTrust(where, name, role.trust, binding.subject);
    for (const arn of binding.managedPolicyArns) {
      if (!attachments.some((a) => a.policy_arn === arn && ref(String(a.role), 'aws_iam_role') === role.id))
        problems.push(`${where}: role ${name} lacks ${arn}`);
    }
  }

  // Every StorageClass provisioner has its CSI driver installed by the stack.
  const installed = new Set(addons.map((a) => String(a.addon_name)));
  for (const sc of objects.filter((o) => o.kind === 'StorageClass')) {
    const where = `${spec.name}: StorageClass ${sc.metadata.name}`;
    const driver = CSI_DRIVER_ADDONS[String(sc.provisioner)];
    if (!driver) problems.push(`${where}: provisioner ${sc.provisioner} has no known EKS add-on (libs/spec CSI_DRIVER_ADDONS)`);
    else if (!installed.has(driver))
      problems.push(`${where}: provisioner ${sc.provisioner} needs EKS add-on ${driver}, which the Terraform of ${spec.name} does not install`);
    // Volumes encrypted with the AWS managed key (no kmsKeyId) need no grants; a customer key does,
    // and the stack gives the driver's role none.
    if (sc.parameters?.kmsKeyId)
      problems.push(`${where}: encrypts with customer key ${sc.parameters.kmsKeyId}, but the Terraform gives ${driver ?? 'its driver'}'s role no KMS grants`);
  }

  for (const name of irsaRoles.keys()) {
    if (!used.has(name)) problems.push(`${spec.name}: IRSA role ${name} in the Terraform is used by no rendered ServiceAccount`);
  }
  return problems;
}

// ---- Karpenter discovery: every EC2NodeClass selector term finds something the stack creates.

/** One selector term of an EC2NodeClass (karpenter.k8s.aws/v1); a term's fields are ANDed. */
export interface SelectorTerm {
  tags?: Record<string, string>;
  id?: string;
  name?: string;
}

/** A rendered EC2NodeClass (the fields the discovery check reads). */
export interface RenderedNodeClass {
  kind: string;
  metadata: { name: string };
  spec?: { role?: string; subnetSelectorTerms?: SelectorTerm[]; securityGroupSelectorTerms?: SelectorTerm[] };
}

/** The tag sets of the subnets and security groups a stack creates or tags (aws_ec2_tag). */
export function taggedResources(synthesized: object): { subnets: Map<string, Record<string, string>>; securityGroups: Map<string, Record<string, string>> } {
  const stack = synthesized as Obj;
  // The provider's default_tags land on every resource it creates, not on those EKS creates.
  const defaults = ((stack.provider?.aws ?? []) as Obj[]).reduce<Record<string, string>>((acc, p) => ({ ...acc, ...(p.default_tags?.[0]?.tags ?? {}) }), {});
  const subnets = new Map<string, Record<string, string>>();
  const securityGroups = new Map<string, Record<string, string>>();
  for (const [id, s] of Object.entries((stack.resource?.aws_subnet ?? {}) as Record<string, Obj>))
    subnets.set(`\${aws_subnet.${id}.id}`, { ...defaults, ...(s.tags ?? {}) });
  for (const [id, g] of Object.entries((stack.resource?.aws_security_group ?? {}) as Record<string, Obj>))
    securityGroups.set(`\${aws_security_group.${id}.id}`, { ...defaults, ...(g.tags ?? {}) });
  for (const t of Object.values((stack.resource?.aws_ec2_tag ?? {}) as Record<string, Obj>)) {
    const target = String(t.resource_id);
    const into = /^\$\{aws_subnet\./.test(target)
      ? subnets
      : /^\$\{aws_security_group\.|^\$\{aws_eks_cluster\.[^.}]+\.vpc_config\[0\]\.cluster_security_group_id\}$/.test(target)
        ? securityGroups
        : undefined;
    if (into) into.set(target, { ...(into.get(target) ?? {}), [String(t.key)]: String(t.value) });
  }
  return { subnets, securityGroups };
}

/** Whether a resource's tags satisfy every tag of a term (`*` matches any value, as Karpenter reads it). */
const matchesTags = (want: Record<string, string>, have: Record<string, string>): boolean =>
  Object.entries(want).every(([k, v]) => k in have && (v === '*' || have[k] === v));

/**
 * Problems of one cluster's Karpenter discovery; empty when the layers agree: every
 * subnetSelectorTerms and securityGroupSelectorTerms term of every rendered EC2NodeClass selects, by
 * its tags, at least one subnet or security group the stack creates or tags, and every
 * EC2NodeClass's role is an IAM role of the stack. A term without tags (id, name) cannot be
 * checked offline and is reported.
 */
export function discoveryCheck(spec: ResolvedClusterSpec, synthesized: object, objects: readonly RenderedNodeClass[]): string[] {
  const stack = synthesized as Obj;
  const problems: string[] = [];
  const { subnets, securityGroups } = taggedResources(stack);
  const roleNames = new Set(Object.values((stack.resource?.aws_iam_role ?? {}) as Record<string, Obj>).map((r) => String(r.name)));
  for (const nc of objects.filter((o) => o.kind === 'EC2NodeClass')) {
    const where = `${spec.name}: EC2NodeClass ${nc.metadata.name}`;
    const fields: [string, string, Map<string, Record<string, string>>][] = [
      ['subnetSelectorTerms', 'subnet', subnets],
      ['securityGroupSelectorTerms', 'security group', securityGroups],
    ];
    for (const [field, what, resources] of fields) {
      const terms = ((nc.spec as Obj | undefined)?.[field] ?? []) as SelectorTerm[];
      if (terms.length === 0) problems.push(`${where}: ${field} is empty`);
      terms.forEach((term, i) => {
        if (!term.tags || term.id !== undefined || term.name !== undefined) {
          problems.push(
            `${where}: ${field}[${i}] selects by ${Object.keys(term).join(', ')}, which the check cannot match against the Terraform; select by tags`,
          );
          return;
        }
        if (![...resources.values()].some((tags) => matchesTags(term.tags!, tags))) {
          const want = Object.entries(term.tags)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ');
          problems.push(`${where}: ${field}[${i}] (${want}) matches no ${what} the Terraform of ${spec.name} creates or tags`);
        }
      });
    }
    if (nc.spec?.role !== undefined && !roleNames.has(nc.spec.role))
      problems.push(`${where}: role ${nc.spec.role} is not an IAM role in the Terraform of ${spec.name}`);
  }
  return problems;
}

/** The managed node groups of a stack: name, labels, minimum size and the tags their ASG gets. */
function managedGroups(stack: Obj): { id: string; name: string; labels: Record<string, string>; minSize: number; asgTags: Record<string, string> }[] {
  const groups = Object.entries((stack.resource?.aws_eks_node_group ?? {}) as Record<string, Obj>).map(([id, g]) => ({
    id,
    name: String(g.node_group_name),
    labels: (g.labels ?? {}) as Record<string, string>,
    minSize: Number(g.scaling_config?.min_size ?? 0),
    asgTags: {} as Record<string, string>,
  }));
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const t of Object.values((stack.resource?.aws_autoscaling_group_tag ?? {}) as Record<string, Obj>)) {
    const id = /^\$\{aws_eks_node_group\.([^.}]+)\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/.exec(String(t.autoscaling_group_name))?.[1];
    const g = id ? byId.get(id) : undefined;
    if (g) g.asgTags[String(t.tag?.key)] = String(t.tag?.value);
  }
  return groups;
}

/**
 * Problems of one cluster's Cluster Autoscaler wiring; empty when the layers agree (clusters on
 * Karpenter have none): the ASG tags of `--node-group-auto-discovery` are on at least one managed
 * group's ASG, and on every group the CA may scale; every regular expression of the priority
 * expander (but the `.*` fallback) matches the ASG name of a group of the stack (EKS names a
 * managed group's ASG `eks-<node group>-<uuid>`); and every node class a pod requires is the label
 * of some group, whose ASG carries the node-template label tag when the group can be at zero
 * (else the CA cannot know that scaling it up would help).
 */
export function autoscalerCheck(spec: ResolvedClusterSpec, synthesized: object, objects: readonly Manifest[]): string[] {
  const stack = synthesized as Obj;
  if (spec.nodes.provisioner !== 'cluster-autoscaler') return [];
  const problems: string[] = [];
  const groups = managedGroups(stack);
  const ca = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === CLUSTER_AUTOSCALER_NAME);
  if (!ca) return [`${spec.name}: the render has no ${CLUSTER_AUTOSCALER_NAME} Deployment`];
  const container = (ca.spec as Obj | undefined)?.template?.spec?.containers?.[0];
  const args = ((container?.command ?? []) as string[]).concat((container?.args ?? []) as string[]);
  const discovery = args.find((a) => a.startsWith('--node-group-auto-discovery='));
  if (!discovery) problems.push(`${spec.name}: Deployment ${CLUSTER_AUTOSCALER_NAME} has no --node-group-auto-discovery`);
  else {
    const keys = discovery
      .replace(/^--node-group-auto-discovery=asg:tag=/, '')
      .split(',')
      .map((k) => k.split('=')[0]!);
    const discovered = groups.filter((g) => keys.every((k) => k in g.asgTags));
    if (discovered.length === 0)
      problems.push(`${spec.name}: no node group's ASG carries the tags ${keys.join(', ')} that --node-group-auto-discovery looks for`);
    for (const g of groups.filter((g) => g.labels[NODE_CLASS_LABEL] !== 'system')) {
      if (!discovered.includes(g))
        problems.push(
          `${spec.name}: node group ${g.name}: its ASG lacks ${keys.filter((k) => !(k in g.asgTags)).join(', ')}, so the Cluster Autoscaler never scales it`,
        );
    }
  }
  const priorities =
    (objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === PRIORITY_EXPANDER_CONFIGMAP)?.data as Record<string, string> | undefined)?.priorities ??
    '';
  for (const line of priorities.split('\n')) {
    const m = /^\s*-\s*(.+?)\s*$/.exec(line);
    if (!m || m[1] === '.*') continue;
    const re = new RegExp(m[1]!);
    if (!groups.some((g) => re.test(`eks-${g.name}-00000000-0000-0000-0000-000000000000`))) {
      problems.push(`${spec.name}: priority expander pattern ${m[1]} matches no node group of the Terraform`);
    }
  }
  for (const t of podTemplates(objects)) {
    const nodeClass = nodeClassOf(t.spec);
    if (nodeClass === undefined) continue;
    const where = describeObject(t.object);
    const carrying = groups.filter((g) => g.labels[NODE_CLASS_LABEL] === nodeClass);
    if (carrying.length === 0) {
      problems.push(`${spec.name}: ${where} requires ${NODE_CLASS_LABEL}=${nodeClass}, which no node group of the Terraform is labelled with`);
      continue;
    }
    for (const g of carrying.filter((g) => g.minSize === 0 && g.asgTags[`${NODE_TEMPLATE_LABEL_TAG}${NODE_CLASS_LABEL}`] !== nodeClass)) {
      problems.push(
        `${spec.name}: node group ${g.name} can be at zero but its ASG lacks ${NODE_TEMPLATE_LABEL_TAG}${NODE_CLASS_LABEL}=${nodeClass}: the Cluster Autoscaler cannot scale it up for ${where}`,
      );
    }
  }
  return problems;
}
