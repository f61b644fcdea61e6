// Pod-level defaults every workload we own shares: restricted security contexts, placement on a
// node class (label affinity + taint toleration from libs/spec), and spread across zones and hosts.

import type { V1Affinity, V1PodSecurityContext, V1SecurityContext, V1Toleration, V1TopologySpreadConstraint } from '@kubernetes/client-node';
import { NODE_CLASS_LABEL, nodeClassTaint, type NodeClass } from '@milvus-gitops/spec';

/** The unprivileged user our pods run as (the images' files stay readable; writes go to volumes). */
export const NON_ROOT_UID = 1000;

/** Pod security context of the restricted Pod Security Standard, with volumes owned by the pod's group. */
export function restrictedPodSecurityContext(): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: NON_ROOT_UID,
    runAsGroup: NON_ROOT_UID,
    fsGroup: NON_ROOT_UID,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Container security context: no privilege, no escalation, no capabilities, read-only root filesystem. */
export function restrictedContainerSecurityContext(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
  };
}

/** Placement of a pod on a node class: required node affinity on the class label, and its taint tolerated. */
export interface Placement {
  affinity: V1Affinity;
  tolerations: V1Toleration[];
}

/** Requires nodes of `nodeClass` and tolerates the class taint (if the class has one). */
export function placeOn(nodeClass: NodeClass): Placement {
  const taint = nodeClassTaint(nodeClass);
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: NODE_CLASS_LABEL, operator: 'In', values: [nodeClass] }] }],
        },
      },
    },
    tolerations: taint ? [{ key: taint.key, operator: 'Equal', value: taint.value, effect: taint.effect }] : [],
  };
}

/** Zone label of nodes. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** Host label of nodes. */
export const HOST_LABEL = 'kubernetes.io/hostname';

/**
 * Spread over zones (hard: a zone failure must not take every replica) and hosts (soft: better
 * packed than pending). `pod-template-hash` keeps a rolling update from counting old pods.
 */
export function spreadAcrossZonesAndHosts(selector: Record<string, string>): V1TopologySpreadConstraint[] {
  return [
    // nodeTaintsPolicy Honor: nodes the pod cannot tolerate (a lost zone's nodes carry
    // node.kubernetes.io/unreachable:NoSchedule) are left out of the skew, so losing a zone does not
    // leave every replacement pod Pending (Kubernetes docs, "Pod Topology Spread Constraints").
    {
      maxSkew: 1,
      topologyKey: ZONE_LABEL,
      whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: selector },
      matchLabelKeys: ['pod-template-hash'],
      nodeTaintsPolicy: 'Honor',
    },
    {
      maxSkew: 1,
      topologyKey: HOST_LABEL,
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: selector },
      matchLabelKeys: ['pod-template-hash'],
    },
  ];
}
