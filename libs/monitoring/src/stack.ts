// kube-prometheus-stack as a Flux HelmRelease with typed values: Prometheus (retention and gp3
// storage, as the monitoring app maps them from the spec), Alertmanager, Grafana with the dashboard
// sidecar, all on system nodes.

import { placeOn, standardLabels } from '@milvus-gitops/core';
import { HelmRelease, HelmRepository, PROMETHEUS_COMMUNITY } from '@milvus-gitops/flux';
import { GP3_ENCRYPTED_STORAGE_CLASS } from '@milvus-gitops/milvus';
import { Construct } from 'constructs';

/** The chart, pinned; its prometheus-operator must serve the CRD versions the validator checks. */
export const KUBE_PROMETHEUS_STACK_CHART = { chart: 'kube-prometheus-stack', version: '79.5.0' } as const;
/** Release name; Prometheus' Service is `<release>-prometheus` (see names.prometheusUrl). */
export const KUBE_PROMETHEUS_STACK_RELEASE = 'kube-prometheus-stack';
/** Label the Grafana sidecar watches for dashboard ConfigMaps. */
export const DASHBOARD_LABEL = { key: 'grafana_dashboard', value: '1' } as const;
/**
 * Secret (in the monitoring namespace) with Grafana's admin credentials (`admin-user`,
 * `admin-password`), created and kept by the grafana chart itself: with `admin.existingSecret` empty
 * and no `adminPassword`, grafana 10.1.4 (the dependency of kube-prometheus-stack 79.5.0) renders
 * templates/secret.yaml named `<release>-grafana`, whose password is `grafana.password` in
 * _helpers.tpl: `lookup` of that same Secret, else `randAlphaNum 40`. So the password is generated
 * once on install and kept across upgrades (grafana/helm-charts tag grafana-10.1.4,
 * 1dcaa30574cd4ce4c54a7d5ca16867f88de7ee16). kube-prometheus-stack 79.5.0 leaves `adminPassword`
 * commented out (values.yaml:1302), so no default password applies.
 */
export const GRAFANA_ADMIN_SECRET = `${KUBE_PROMETHEUS_STACK_RELEASE}-grafana`;

type Placement = { affinity: object; tolerations: object[] };

/**
 * Replicas prefer different zones: losing a zone must not take every Prometheus (the HPAs' custom
 * metrics) or Alertmanager with it. The chart adds this anti-affinity to `affinity`
 * (templates/prometheus/prometheus.yaml; values `podAntiAffinity`, `podAntiAffinityTopologyKey`).
 * Soft, since the volumes are zonal and a hard rule could strand a replica.
 */
type ZoneSpread = { podAntiAffinity: 'soft'; podAntiAffinityTopologyKey: 'topology.kubernetes.io/zone' };
const ZONE_SPREAD: ZoneSpread = { podAntiAffinity: 'soft', podAntiAffinityTopologyKey: 'topology.kubernetes.io/zone' };

/** The values of the chart this repository sets. */
export interface KubePrometheusStackValues {
  crds: { enabled: boolean };
  prometheusOperator: Placement & { resources: object };
  prometheus: {
    prometheusSpec: Placement &
      ZoneSpread & {
        retention: string;
        replicas: number;
        resources: object;
        serviceMonitorSelectorNilUsesHelmValues: boolean;
        podMonitorSelectorNilUsesHelmValues: boolean;
        ruleSelectorNilUsesHelmValues: boolean;
        storageSpec: { volumeClaimTemplate: { spec: { storageClassName: string; accessModes: string[]; resources: { requests: { storage: string } } } } };
      };
  };
  alertmanager: { enabled: boolean; alertmanagerSpec: Placement & ZoneSpread & { replicas: number } };
  grafana: Placement & {
    enabled: boolean;
    /** Empty: the chart creates GRAFANA_ADMIN_SECRET and keeps its password (see there). */
    admin: { existingSecret: ''; userKey: string; passwordKey: string };
    sidecar: { dashboards: { enabled: boolean; label: string; labelValue: string; searchNamespace: string } };
  };
  'kube-state-metrics': Placement & { metricLabelsAllowlist: string[] };
}

/** Props of KubePrometheusStack. */
export interface KubePrometheusStackProps {
  /** The release's values (`kubePrometheusStackValues(props)` for a cluster). */
  readonly values: KubePrometheusStackValues;
  /** Namespace the release installs into (the monitoring namespace). */
  readonly targetNamespace: string;
  /** The cluster's name (`app.kubernetes.io/instance`). */
  readonly instance: string;
}

/** Input of kubePrometheusStackValues: what differs between clusters. */
export interface KubePrometheusStackValuesProps {
  /**
   * How long Prometheus keeps samples (a Prometheus duration such as `15d`).
   * @default - required, no default
   */
  readonly retention: string;
  /**
   * Size of each Prometheus replica's gp3 volume (a Kubernetes quantity such as `100Gi`).
   * @default - required, no default
   */
  readonly storageSize: string;
  /**
   * Replicas of Prometheus and of Alertmanager (two in production, spread over zones).
   * @default - required, no default
   */
  readonly replicas: number;
  /**
   * Whether Grafana runs.
   * @default - required, no default
   */
  readonly grafana: boolean;
}

/** The typed values of the release for a cluster. */
export function kubePrometheusStackValues(props: KubePrometheusStackValuesProps): KubePrometheusStackValues {
  const system = placeOn('system') as Placement;
  return {
    crds: { enabled: true },
    prometheusOperator: { ...system, resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } } },
    prometheus: {
      prometheusSpec: {
        ...system,
        ...ZONE_SPREAD,
        retention: props.retention,
        replicas: props.replicas,
        resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '8Gi' } },
        // Select every ServiceMonitor, PodMonitor and PrometheusRule, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              storageClassName: GP3_ENCRYPTED_STORAGE_CLASS,
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: props.storageSize } },
            },
          },
        },
      },
    },
    alertmanager: { enabled: true, alertmanagerSpec: { ...system, ...ZONE_SPREAD, replicas: props.replicas } },
    grafana: {
      ...system,
      enabled: props.grafana,
      // No existingSecret: nothing would create it and Grafana would never start. The chart's own
      // Secret (GRAFANA_ADMIN_SECRET) is generated once and kept by `lookup` on upgrades.
      admin: { existingSecret: '', userKey: 'admin-user', passwordKey: 'admin-password' },
      sidecar: { dashboards: { enabled: true, label: DASHBOARD_LABEL.key, labelValue: DASHBOARD_LABEL.value, searchNamespace: 'ALL' } },
    },
    // Node labels the dashboards group by (pool, capacity type, node class).
    'kube-state-metrics': { ...system, metricLabelsAllowlist: ['nodes=[karpenter.sh/nodepool,karpenter.sh/capacity-type,milvus-gitops.io/node-class]'] },
  };
}

/** The stack's HelmRepository and HelmRelease. */
export class KubePrometheusStack extends Construct {
  constructor(scope: Construct, id: string, props: KubePrometheusStackProps) {
    super(scope, id);
    const labels = standardLabels({ name: 'kube-prometheus-stack', instance: props.instance, component: 'monitoring' });
    const repo = new HelmRepository(this, 'Repository', { ...PROMETHEUS_COMMUNITY, labels });
    new HelmRelease<KubePrometheusStackValues>(this, 'Release', {
      // Prometheus keeps its TSDB on a volume: pruning the release would uninstall it.
      holdsData: true,
      name: KUBE_PROMETHEUS_STACK_RELEASE,
      targetNamespace: props.targetNamespace,
      repository: repo,
      chart: KUBE_PROMETHEUS_STACK_CHART.chart,
      version: KUBE_PROMETHEUS_STACK_CHART.version,
      values: props.values,
      labels,
    });
  }
}
