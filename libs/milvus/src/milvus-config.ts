// The ConfigMap holding user.yaml; every Milvus role mounts it read-only.

import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { stringify } from 'yaml';

/** Props of MilvusConfig. */
export interface MilvusConfigProps {
  /** The user config to write as user.yaml (`milvusUserConfig(spec)` for a cluster). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Namespace of the ConfigMap (Milvus'). */
  readonly namespace: string;
  /** Labels of the ConfigMap. @default none */
  readonly labels?: Record<string, string>;
}

/** Name of the ConfigMap and file name of the user config inside it. */
export const MILVUS_CONFIG_NAME = 'milvus-config';
export const MILVUS_CONFIG_FILE = 'user.yaml';
/** Where Milvus reads its user config. */
export const MILVUS_CONFIG_DIR = '/milvus/configs';

/** The user.yaml ConfigMap, serialized with sorted keys so renders are byte-stable. */
export class MilvusConfig extends Construct {
  readonly configMap: kplus.ConfigMap;
  /** The serialized user.yaml. */
  readonly userYaml: string;

  constructor(scope: Construct, id: string, props: MilvusConfigProps) {
    super(scope, id);
    this.userYaml = stringify(props.config, { sortMapEntries: true });
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: MILVUS_CONFIG_NAME, namespace: props.namespace, labels: props.labels },
      data: { [MILVUS_CONFIG_FILE]: this.userYaml },
    });
  }
}
