// Deliberately broken objects that hold pod templates, for the test that kinds compiled without
// their pod templates (validator.ts, Layout) report exactly what the whole kinds' validators did.
// pod-template-failures.json holds the failures of these cases as the validator before that change
// reported them; to write it again from some other checkout's built code:
//   npx esbuild libs/k8s-schema/test/pod-template-cases.ts --format=esm --outfile=/tmp/cases.mjs
//   node -e 'const { SchemaValidator, folderSource } = await import("<checkout>/libs/k8s-schema/dist/index.js");
//     const { podTemplateCases } = await import("/tmp/cases.mjs");
//     const v = await SchemaValidator.load(folderSource("<mirror>"), { cacheDir: false });
//     console.log(JSON.stringify(Object.fromEntries(podTemplateCases().map((c) => [c.name, v.validate(c.object, c.minor)])), null, 1))'
// (with --input-type=module).

/** One object checked for a cluster at Kubernetes `minor`, named uniquely. */
export interface PodTemplateCase {
  readonly name: string;
  readonly minor: string;
  readonly object: Record<string, unknown>;
}

type Obj = Record<string, any>;

const podTemplate = (): Obj => ({
  metadata: { labels: { app: 'a' }, annotations: { 'example.com/hash': '1' } },
  spec: {
    serviceAccountName: 'sa',
    containers: [
      {
        name: 'main',
        image: 'registry.example.com/app:1',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: 8080, name: 'http' }],
        resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        env: [{ name: 'A', value: 'b' }],
      },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  },
});

const meta = (name: string) => ({ name, namespace: 'n', labels: { app: 'a' } });

/** The workloads, each valid on every version, and where each holds its pod template. */
const workloads = (): { object: Obj; template: (o: Obj) => Obj; setTemplate: (o: Obj, t: unknown) => void }[] => [
  {
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('d'),
      spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template: podTemplate() },
    },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('s'),
      spec: {
        serviceName: 's',
        selector: { matchLabels: { app: 'a' } },
        template: podTemplate(),
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('c'),
      spec: {
        schedule: '0 * * * *',
        jobTemplate: { spec: { backoffLimit: 1, template: { ...podTemplate(), spec: { ...podTemplate().spec, restartPolicy: 'Never' } } } },
      },
    },
    template: (o) => o.spec.jobTemplate.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.jobTemplate.spec.template = t),
  },
  {
    object: {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('j'),
      spec: { template: { ...podTemplate(), spec: { ...podTemplate().spec, restartPolicy: 'Never' } } },
    },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('ds'), spec: { selector: { matchLabels: { app: 'a' } }, template: podTemplate() } },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('rs'), spec: { selector: { matchLabels: { app: 'a' } }, template: podTemplate() } },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: { selector: { app: 'a' }, template: podTemplate() } },
    template: (o) => o.spec.template as Obj,
    setTemplate: (o, t) => (o.spec.template = t),
  },
  {
    object: { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta('pt'), template: podTemplate() },
    template: (o) => o.template as Obj,
    setTemplate: (o, t) => (o.template = t),
  },
];

/** Every case: each workload valid and broken in each way, at the floor, at 1.33 and at 1.32 (checked as 1.33). */
export function podTemplateCases(): PodTemplateCase[] {
  const out: PodTemplateCase[] = [];
  for (const w of workloads()) {
    const kind = w.object.kind as string;
    const edits: [string, (o: Obj) => void][] = [
      ['valid', () => {}],
      ['imagePullPolicy a number', (o) => (w.template(o).spec.containers[0].imagePullPolicy = 3)],
      ['unknown container field', (o) => (w.template(o).spec.containers[0].bogus = 1)],
      ['unknown pod spec and metadata fields', (o) => ((w.template(o).spec.bogus = 1), (w.template(o).metadata = { bogus: 2, labels: { a: 1 } }))],
      ['bad quantities', (o) => (w.template(o).spec.containers[0].resources = { limits: { memory: 'lots', cpu: {} } })],
      ['int-or-string port', (o) => (w.template(o).spec.containers[0].livenessProbe = { httpGet: { port: {}, path: 3 } })],
      ['pod-level resources (1.33 only)', (o) => (w.template(o).spec.resources = { limits: { cpu: '1' } })],
      ['no containers', (o) => delete w.template(o).spec.containers],
      ['containers a map', (o) => (w.template(o).spec.containers = { a: 1 })],
      ['second container without a name', (o) => w.template(o).spec.containers.push({ image: 'i', env: [{ name: 'x', valueFrom: { fieldRef: {} } }] })],
      ['pod spec a string', (o) => (w.template(o).spec = 'nope')],
      ['template a string', (o) => w.setTemplate(o, 'x')],
      ['template null', (o) => w.setTemplate(o, null)],
      ['template a list', (o) => w.setTemplate(o, [podTemplate()])],
      ['template empty', (o) => w.setTemplate(o, {})],
      ['unknown field outside the template', (o) => ((o.spec ?? o).bogusOutside = 1)],
      ['bad metadata', (o) => (o.metadata.name = 5)],
      [
        'errors before, in and after the template',
        (o) => {
          const t = w.template(o);
          t.spec.containers[0].imagePullPolicy = 3;
          t.spec.containers.push({ name: 7 });
          t.metadata = { annotations: 5 };
          o.metadata.bogus = 1;
          const spec = (o.spec ?? o) as Obj;
          Object.assign(spec, { minReadySeconds: 'x', zzz: 1, revisionHistoryLimit: 'y', volumeClaimTemplates: 'v', successfulJobsHistoryLimit: 'h' });
          if (spec.jobTemplate) Object.assign(spec.jobTemplate.spec as Obj, { ttlSecondsAfterFinished: 't', activeDeadlineSeconds: 'a', managedBy: 'm' });
        },
      ],
    ];
    if (w.object.spec) {
      edits.push(['spec a number', (o) => (o.spec = 3)], ['spec a list', (o) => (o.spec = [])]);
    }
    if (kind === 'CronJob') {
      edits.push(
        ['jobTemplate.spec a list', (o) => (o.spec.jobTemplate.spec = [])],
        ['job managedBy (1.33 only)', (o) => (o.spec.jobTemplate.spec.managedBy = 'x')],
      );
    }
    for (const [what, edit] of edits) {
      const object = structuredClone(w.object);
      edit(object);
      for (const minor of ['1.29', '1.33', '1.32']) out.push({ name: `${kind} ${what} @${minor}`, minor, object });
    }
  }
  return out;
}
