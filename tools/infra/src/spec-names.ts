// The EKS add-on names of libs/spec/src/names.ts that @milvus-gitops/spec does not re-export yet.
// TODO: once libs/spec/src/index.ts re-exports them (`export { CSI_DRIVER_ADDONS, EBS_CSI_PROVISIONER,
// ebsCsiDriver } from './names.js'` and `export type { AddonIrsaBinding } from './names.js'`),
// replace this file's body by `export { ... } from '@milvus-gitops/spec'`. Until then the module is
// loaded from the spec package's build (the same dist/ the package entry point resolves to), with
// its types from the source, so there is still one definition of each name.

import type * as Names from '../../../libs/spec/src/names.js';

const names = (await import(new URL('../../../libs/spec/dist/names.js', import.meta.url).href)) as typeof Names;

export type AddonIrsaBinding = Names.AddonIrsaBinding;
export const CSI_DRIVER_ADDONS: typeof Names.CSI_DRIVER_ADDONS = names.CSI_DRIVER_ADDONS;
export const EBS_CSI_PROVISIONER: typeof Names.EBS_CSI_PROVISIONER = names.EBS_CSI_PROVISIONER;
export const ebsCsiDriver: typeof Names.ebsCsiDriver = names.ebsCsiDriver;
