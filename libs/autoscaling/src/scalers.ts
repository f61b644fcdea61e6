// The scaler objects of the Milvus roles: an autoscaling/v2 HPA per HPA-scaled role, a KEDA
// ScaledObject where the spec asks for scale to zero.

import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { kubeObject, standardLabels } from '@milvus-gitops/core';
import { MILVUS_METRICS, type MilvusRoleWorkload } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';
import { metricSpec, type RoleScaling } from './plan.js';
import { PENDING_INDEX_TASK_MATCHERS } from './signals.js';

/** Props of RoleScaler. */
export interface RoleScalerProps {
  /** The workload it scales: its Deployment is the scale target, and it hands its replica count over. */
  readonly target: MilvusRoleWorkload;
  /** The role's entry of `scalingPlan(spec)`: bounds, signals and behavior. */
  readonly scaling: RoleScaling;
  /** Prometheus' in-cluster URL, which a KEDA ScaledObject queries. */
  readonly prometheusUrl: string;
}

/** The fields of a KEDA ScaledObject spec this repository sets (CRD keda.sh/v1alpha1). */
export interface ScaledObjectSpec {
  scaleTargetRef: { apiVersion: string; kind: string; name: string };
  minReplicaCount: number;
  maxReplicaCount: number;
  pollingInterval: number;
  cooldownPeriod: number;
  triggers: { type: 'prometheus'; metadata: { serverAddress: string; query: string; threshold: string; activationThreshold: string } }[];
}

/** The HPA or ScaledObject of one role, targeting the role's Deployment object. */
export class RoleScaler extends Construct {
  constructor(scope: Construct, id: string, props: RoleScalerProps) {
    super(scope, id);
    const { target, scaling } = props;
    const deployment = target.deployment;
    const name = deployment.name;
    const namespace = deployment.metadata.namespace;
    const instance = deployment.metadata.getLabel('app.kubernetes.io/instance') ?? '';
    const labels = standardLabels({ name: 'milvus', instance, component: scaling.role });
    const scaleTarget = { apiVersion: deployment.apiVersion, kind: deployment.kind, name };
    target.handOverReplicas();
    if (scaling.scaler === 'hpa') {
      if (scaling.minReplicas > scaling.maxReplicas) {
        throw new Error(`${instance}: HPA ${name}: minReplicas (${scaling.minReplicas}) must be <= maxReplicas (${scaling.maxReplicas})`);
      }
      kubeObject<V2HorizontalPodAutoscaler>(this, 'Hpa', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name, namespace, labels },
        spec: {
          scaleTargetRef: scaleTarget,
          minReplicas: scaling.minReplicas,
          maxReplicas: scaling.maxReplicas,
          metrics: scaling.signals.map((s) => metricSpec(s)),
          behavior: scaling.behavior,
        },
      });
      return;
    }
    // KEDA queries Prometheus itself, so the same series is summed here as the adapter rule does.
    const query = `sum(${MILVUS_METRICS.datacoordTaskCount}{namespace="${namespace}",${PENDING_INDEX_TASK_MATCHERS}})`;
    kubeObject<{ spec: ScaledObjectSpec }>(this, 'ScaledObject', {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: scaleTarget,
        minReplicaCount: 0,
        maxReplicaCount: scaling.maxReplicas,
        pollingInterval: 15,
        // Ten idle minutes before the last builder goes: index requests often come in bursts.
        cooldownPeriod: 600,
        triggers: [
          {
            type: 'prometheus',
            metadata: {
              serverAddress: props.prometheusUrl,
              query,
              threshold: String(scaling.pendingTasksPerReplica),
              activationThreshold: '0',
            },
          },
        ],
      },
    });
  }
}
