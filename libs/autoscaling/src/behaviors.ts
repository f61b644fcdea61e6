// Named HPA behaviors (autoscaling/v2 `spec.behavior`): how fast each kind of Milvus role may be
// scaled up and down. The autoscaling app picks one per role.

import type { V2HorizontalPodAutoscalerBehavior } from '@kubernetes/client-node';

/**
 * Query nodes: react within one 15 s sync (double or add four, whichever is more) so a 10x spike is
 * absorbed in a few periods; shrink by at most 10% or one pod a minute after five quiet minutes,
 * because each removed query node hands its segments to the others.
 */
export const QUERY_NODE_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 100, periodSeconds: 15 },
      { type: 'Pods', value: 4, periodSeconds: 15 },
    ],
  },
  scaleDown: {
    stabilizationWindowSeconds: 300,
    selectPolicy: 'Max',
    policies: [
      { type: 'Percent', value: 10, periodSeconds: 60 },
      { type: 'Pods', value: 1, periodSeconds: 60 },
    ],
  },
};

/** Builders: up as fast as query nodes, down once the queue has been empty for ten minutes. */
export const BUILDER_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: QUERY_NODE_BEHAVIOR.scaleUp!,
  scaleDown: {
    stabilizationWindowSeconds: 600,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
  },
};

/** Proxies: CPU-bound and stateless, default-like but with a short scale-down window. */
export const PROXY_BEHAVIOR: V2HorizontalPodAutoscalerBehavior = {
  scaleUp: QUERY_NODE_BEHAVIOR.scaleUp!,
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 25, periodSeconds: 60 }] },
};
