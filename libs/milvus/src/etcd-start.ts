// How an etcd member starts. The first boot forms the cluster (`new`); a member that lost its
// volume must not: etcd refuses it ("member ... has already been bootstrapped") and the pod crash
// loops. The documented procedure (etcd v3.5 op-guide runtime-configuration; maintainers in
// etcd-io/etcd#11410) is to remove the member, add it again and start it with `existing`. The etcd
// image is distroless (no shell since v3.5.7), so an init container with bash and etcdctl decides,
// runs the membership change, and writes the whole configuration to a file that etcd reads with
// --config-file (etcd then ignores flags and ETCD_* variables: server/etcdmain/config.go).

import { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from './config.js';

/**
 * Image of the init container: the etcd image of the official Milvus chart (zilliztech/milvus-helm
 * milvus-5.0.19, charts/milvus/values.yaml etcd.image), built on Bitnami's Debian image with bash
 * and etcdctl (/opt/bitnami/etcd/bin, on PATH).
 */
export const ETCD_TOOLS_IMAGE = 'milvusdb/etcd:3.5.25-r1';

/** Where the init container writes etcd's configuration (an emptyDir shared with etcd). */
export const ETCD_CONFIG_DIR = '/run/etcd';
/** The configuration file etcd starts from. */
export const ETCD_CONFIG_FILE = `${ETCD_CONFIG_DIR}/etcd.conf.yml`;

/** What the start script needs to know about the cluster. */
export interface EtcdStartProps {
  /** Names of every member (the StatefulSet's pods), in order. */
  readonly members: readonly string[];
  /** DNS domain of the headless Service (`<pod>.<domain>` reaches a member). */
  readonly domain: string;
  /** The data directory on the member's volume. */
  readonly dataDir: string;
  /** initial-cluster-token of the cluster. */
  readonly token: string;
  /** Port of /health and /metrics. */
  readonly metricsPort: number;
  /** Further settings, as etcd.conf.yml keys (the flag names). */
  readonly settings: Readonly<Record<string, string | number>>;
  /** The file to write. @default ETCD_CONFIG_FILE */
  readonly configFile?: string;
}

/**
 * The init container's bash script. With data on the volume the member restarts as it was. With
 * none, it asks the other members (a linearizable `member list` needs their quorum): if they answer,
 * it replaces its own entry (remove, then add; an entry never started is kept) and starts
 * `existing`; if nobody answers, this is the first boot and it starts `new`. POD_NAME comes from
 * the pod's environment.
 */
export function etcdStartScript(props: EtcdStartProps): string {
  const peerUrl = (m: string) => `http://${m}.${props.domain}:${ETCD_PEER_PORT}`;
  const file = props.configFile ?? ETCD_CONFIG_FILE;
  const settings = Object.entries(props.settings).map(([k, v]) => `${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`);
  // Plain bash and coreutils: the tools image has no awk.
  return [
    '#!/bin/bash',
    `# Decides how this etcd member starts and writes ${file} (libs/milvus/src/etcd-start.ts).`,
    'set -euo pipefail',
    'me="${POD_NAME:?}"',
    `my_peer="http://\${me}.${props.domain}:${ETCD_PEER_PORT}"`,
    `my_client="http://\${me}.${props.domain}:${ETCD_CLIENT_PORT}"`,
    'others=""',
    `for m in ${props.members.join(' ')}; do`,
    `  [ "$m" = "$me" ] || others="\${others:+$others,}http://$m.${props.domain}:${ETCD_CLIENT_PORT}"`,
    'done',
    'ctl() { etcdctl --endpoints="$others" --dial-timeout=3s --command-timeout=10s "$@"; }',
    'state=new',
    `if [ -d "${props.dataDir}/member" ]; then`,
    '  echo "etcd-start: $me has data; it restarts as the member it was"',
    'else',
    '  list=""',
    '  for attempt in 1 2 3; do',
    '    if list=$(ctl member list -w simple); then break; fi',
    '    list=""',
    '    sleep 2',
    '  done',
    '  if [ -n "$list" ]; then',
    '    state=existing',
    '    # member list -w simple: ID, status, name, peer URLs, client URLs, is learner',
    '    id="" status=""',
    '    while IFS= read -r line; do',
    '      IFS="," read -r f_id f_status f_name f_peers f_rest <<< "$line"',
    '      if [ "${f_peers# }" = "$my_peer" ]; then id="${f_id# }"; status="${f_status# }"; fi',
    '    done <<< "$list"',
    '    if [ -z "$id" ]; then',
    '      echo "etcd-start: $me is not a member; adding it"',
    '      ctl member add "$me" --peer-urls="$my_peer"',
    '    elif [ "$status" = "unstarted" ]; then',
    '      echo "etcd-start: $me is a member that never started; joining"',
    '    else',
    '      echo "etcd-start: $me lost its data; replacing member $id"',
    '      ctl member remove "$id"',
    '      ctl member add "$me" --peer-urls="$my_peer"',
    '    fi',
    '  else',
    '    echo "etcd-start: no other member answers; forming the cluster"',
    '  fi',
    'fi',
    `cat > "${file}.tmp" <<CONFIG`,
    'name: "$me"',
    `data-dir: "${props.dataDir}"`,
    `listen-client-urls: "http://0.0.0.0:${ETCD_CLIENT_PORT}"`,
    'advertise-client-urls: "$my_client"',
    `listen-peer-urls: "http://0.0.0.0:${ETCD_PEER_PORT}"`,
    'initial-advertise-peer-urls: "$my_peer"',
    `listen-metrics-urls: "http://0.0.0.0:${props.metricsPort}"`,
    `initial-cluster: "${props.members.map((m) => `${m}=${peerUrl(m)}`).join(',')}"`,
    'initial-cluster-state: "$state"',
    `initial-cluster-token: "${props.token}"`,
    ...settings,
    'CONFIG',
    `mv "${file}.tmp" "${file}"`,
    'echo "etcd-start: $me starts with initial-cluster-state $state"',
    '',
  ].join('\n');
}
