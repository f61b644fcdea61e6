// A ServiceAccount bound to an IAM role through IRSA, named by the spec's names module so that the
// annotation and the role's trust policy (tools/infra) can never disagree.

import * as kplus from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { IRSA_ROLE_ANNOTATION, type IrsaBinding } from '@milvus-gitops/spec';

/** Props of an IrsaServiceAccount. */
export interface IrsaServiceAccountProps {
  /** The binding from `clusterNames(spec).irsa[workload]`: namespace, name and role ARN. */
  readonly binding: IrsaBinding;
  /** Extra labels. @default none */
  readonly labels?: Record<string, string>;
}

/**
 * A ServiceAccount annotated with `eks.amazonaws.com/role-arn`. Its token is not automounted:
 * the EKS pod identity webhook projects the web-identity token the AWS SDK needs, and pods that
 * also need the Kubernetes API opt in on their own.
 */
export class IrsaServiceAccount extends Construct {
  /** The cdk8s-plus ServiceAccount. */
  readonly serviceAccount: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: IrsaServiceAccountProps) {
    super(scope, id);
    this.serviceAccount = new kplus.ServiceAccount(this, 'Resource', {
      metadata: {
        name: props.binding.serviceAccount,
        namespace: props.binding.namespace,
        annotations: { [IRSA_ROLE_ANNOTATION]: props.binding.roleArn },
        labels: props.labels,
      },
      automountToken: false,
    });
  }
}
