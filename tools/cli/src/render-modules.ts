// What rendering needs (render, diff, replay and claims render first): the ClusterSpec library,
// the apps and the render code, in one module so that the build bundles it (package.json
// `bundle`) and the command's launcher loads it with V8's code cache (see main.ts renderModules):
// cdk8s, cdk8s-plus-29 and the apps are otherwise hundreds of files compiled anew on every run.
import * as spec from '@milvus-gitops/spec';
import * as apps from './apps.js';
import * as render from './render.js';

/** Every export of the three, as one object (later names win, as they did when merged at the call). */
export const renderModules = { ...spec, ...apps, ...render };
