export { registerTaskSource, type Task } from './workbench.service.js';
export { workbenchRoutes } from './workbench.routes.js';
