// etcd for Milvus metadata: three members, one per zone, on encrypted gp3 volumes, with client and
// peer Services and a PDB that never lets quorum go.

import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1PodDisruptionBudget, V1Service, V1StatefulSet, V1StorageClass } from '@kubernetes/client-node';
import {
  PRUNE_DISABLED_ANNOTATION,
  HOST_LABEL,
  kubeObject,
  placeOn,
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  selectorLabels,
  standardLabels,
  ZONE_LABEL,
} from '@milvus-gitops/core';
import { EBS_CSI_PROVISIONER, ETCD_NODE_CLASS } from '@milvus-gitops/spec';
import { Construct } from 'constructs';
import { ETCD_CLIENT_PORT, ETCD_MEMBERS, ETCD_NAME, ETCD_PEER_PORT, etcdClientService } from './config.js';
import { ETCD_CONFIG_DIR, ETCD_CONFIG_FILE, ETCD_TOOLS_IMAGE, etcdStartScript } from './etcd-start.js';

/** ConfigMap holding the members' start script. */
export const ETCD_START_CONFIG = `${ETCD_NAME}-start`;

/** The official etcd image, pinned; Milvus 2.5 and 2.6 are tested against etcd 3.5. */
export const ETCD_IMAGE = 'quay.io/coreos/etcd:v3.5.21';
/**
 * The version label of the volume claim template: the etcd version the StatefulSet was created
 * with, frozen. Kubernetes refuses any update to `volumeClaimTemplates`, so a label that followed
 * the image would wedge the milvus Kustomization at the next etcd bump (`gitops diff` reports such
 * a change as `immutable-field-change`).
 */
const CLAIM_TEMPLATE_VERSION = '3.5.21';
/** Port of etcd's /health and /metrics listener. */
export const ETCD_METRICS_PORT = 2381;
/** StorageClass for encrypted gp3 EBS volumes (EBS CSI driver). */
export const GP3_ENCRYPTED_STORAGE_CLASS = 'gp3-encrypted';

/** Props of EtcdCluster. */
export interface EtcdClusterProps {
  /**
   * Namespace of the members, their Services, start script and PDB (Milvus' namespace, `milvus.namespace`).
   * @default - required, no default
   */
  readonly namespace: string;
  /**
   * `app.kubernetes.io/instance` of the etcd objects (`<cluster>-milvus`): part of the members' selector,
   * and `<instance>-etcd` is the cluster's initial-cluster-token.
   * @default - required, no default
   */
  readonly instance: string;
  /**
   * Size of each member's gp3 data volume (`milvus.etcd.storageSize`).
   * @default - required, no default (the spec's defaults give every cluster one)
   */
  readonly storageSize: string;
}

/** The labels selecting the etcd members of an instance (`<cluster>-milvus`). */
export function etcdSelector(instance: string): Record<string, string> {
  return selectorLabels({ name: 'etcd', instance, component: 'metadata' });
}

/** Headless Service giving each member a stable DNS name for peering. */
export const ETCD_HEADLESS = `${ETCD_NAME}-headless`;

/** A gp3 StorageClass with encryption at rest, bound in the pod's zone. */
export class Gp3EncryptedStorageClass extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    kubeObject<V1StorageClass>(this, 'Resource', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: GP3_ENCRYPTED_STORAGE_CLASS,
        labels: standardLabels({ name: 'ebs-gp3', component: 'storage' }),
        annotations: { ...PRUNE_DISABLED_ANNOTATION },
      },
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      reclaimPolicy: 'Retain',
      allowVolumeExpansion: true,
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  }
}

/** The etcd StatefulSet with its Services and PDB. */
export class EtcdCluster extends Construct {
  /** The labels selecting the members' pods (the StatefulSet's `spec.selector.matchLabels`); monitors select by them. */
  readonly selector: Readonly<Record<string, string>>;
  /** Namespace of the members. */
  readonly namespace: string;
  /** `host:port` of the client Service, what clients and the snapshot job connect to. */
  readonly clientEndpoint: string;

  constructor(scope: Construct, id: string, props: EtcdClusterProps) {
    super(scope, id);
    const { namespace, instance } = props;
    this.namespace = namespace;
    this.clientEndpoint = etcdClientService(namespace);
    const labels = standardLabels({ name: 'etcd', instance, component: 'metadata', version: ETCD_IMAGE.split(':v')[1] });
    const selector = etcdSelector(instance);
    this.selector = selector;
    const domain = `${ETCD_HEADLESS}.${namespace}.svc.cluster.local`;
    const placement = placeOn(ETCD_NODE_CLASS);

    kubeObject<V1Service>(this, 'Client', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ETCD_NAME, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        ports: [
          { name: 'client', port: ETCD_CLIENT_PORT, targetPort: 'client', protocol: 'TCP' },
          { name: 'metrics', port: ETCD_METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
        ],
      },
    });
    kubeObject<V1Service>(this, 'Peer', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: ETCD_HEADLESS, namespace, labels },
      spec: {
        clusterIP: 'None',
        // Members must resolve each other before they are ready, or the cluster never forms.
        publishNotReadyAddresses: true,
        selector,
        ports: [
          { name: 'client', port: ETCD_CLIENT_PORT, targetPort: 'client', protocol: 'TCP' },
          { name: 'peer', port: ETCD_PEER_PORT, targetPort: 'peer', protocol: 'TCP' },
        ],
      },
    });

    const script = etcdStartScript({
      members: Array.from({ length: ETCD_MEMBERS }, (_, i) => `${ETCD_NAME}-${i}`),
      domain,
      dataDir: '/var/lib/etcd/data',
      token: `${instance}-etcd`,
      metricsPort: ETCD_METRICS_PORT,
      // Milvus writes many small revisions: compact and cap the backend like the upstream chart's etcd.
      settings: { 'auto-compaction-mode': 'revision', 'auto-compaction-retention': '1000', 'quota-backend-bytes': 4294967296, 'snapshot-count': 50000 },
    });
    kubeObject<V1ConfigMap>(this, 'Start', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: ETCD_START_CONFIG, namespace, labels },
      data: { 'etcd-start.sh': script },
    });

    // /livez (a local read) and /readyz (a read through the quorum, no corruption alarm, not a
    // learner), etcd 3.5's probe endpoints (server/etcdserver/api/etcdhttp/health.go): /health
    // fails on any alarm, so a full backend (NOSPACE) would fail liveness on every member at once
    // and restart them in a loop (kubeadm moved to these endpoints for that reason).
    const health = (path: string) => ({ httpGet: { path, port: 'metrics' } });
    kubeObject<V1StatefulSet>(this, 'StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      // Milvus' metadata: never pruned by Flux (its volumes outlive it, but the cluster would not).
      metadata: { name: ETCD_NAME, namespace, labels, annotations: { ...PRUNE_DISABLED_ANNOTATION } },
      spec: {
        replicas: ETCD_MEMBERS,
        serviceName: ETCD_HEADLESS,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          // A changed start script rolls the members one at a time (the PDB allows one down).
          metadata: { labels, annotations: { 'milvus-gitops.io/start-script-hash': createHash('sha256').update(script).digest('hex').slice(0, 16) } },
          spec: {
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 60,
            securityContext: restrictedPodSecurityContext(),
            affinity: {
              ...placement.affinity,
              // Two members on one host would make a host failure a quorum failure.
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOST_LABEL, labelSelector: { matchLabels: selector } }],
              },
            },
            tolerations: placement.tolerations,
            // One member per zone: with three zones, a zone outage leaves a quorum of two.
            topologySpreadConstraints: [{ maxSkew: 1, topologyKey: ZONE_LABEL, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: selector } }],
            containers: [
              {
                name: 'etcd',
                image: ETCD_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                // Everything etcd needs is in the file the start script wrote (etcd-start.ts).
                command: ['etcd', `--config-file=${ETCD_CONFIG_FILE}`],
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                ports: [
                  { name: 'client', containerPort: ETCD_CLIENT_PORT, protocol: 'TCP' },
                  { name: 'peer', containerPort: ETCD_PEER_PORT, protocol: 'TCP' },
                  { name: 'metrics', containerPort: ETCD_METRICS_PORT, protocol: 'TCP' },
                ],
                startupProbe: { ...health('/livez'), periodSeconds: 10, failureThreshold: 30 },
                livenessProbe: { ...health('/livez'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
                readinessProbe: { ...health('/readyz'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
                resources: {
                  requests: { cpu: '500m', memory: '1Gi' },
                  limits: { cpu: '2', memory: '2Gi' },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/etcd' },
                  { name: 'run', mountPath: ETCD_CONFIG_DIR, readOnly: true },
                ],
              },
            ],
            initContainers: [
              {
                // Forms the cluster, or rejoins a member that lost its volume (etcd-start.ts).
                name: 'member',
                image: ETCD_TOOLS_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command: ['bash', '/scripts/etcd-start.sh'],
                env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/etcd', readOnly: true },
                  { name: 'run', mountPath: ETCD_CONFIG_DIR },
                  { name: 'start', mountPath: '/scripts', readOnly: true },
                ],
              },
            ],
            volumes: [
              { name: 'run', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              { name: 'start', configMap: { name: ETCD_START_CONFIG } },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data', labels: { ...labels, 'app.kubernetes.io/version': CLAIM_TEMPLATE_VERSION } },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: GP3_ENCRYPTED_STORAGE_CLASS,
              resources: { requests: { storage: props.storageSize } },
            },
          },
        ],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      },
    });

    kubeObject<V1PodDisruptionBudget>(this, 'Pdb', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: ETCD_NAME, namespace, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
    });
  }
}
