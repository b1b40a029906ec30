export { registerTaskSource, tasksFor, type Task, type TaskSource } from './workbench.service.js';
export { workbenchRoutes } from './workbench.routes.js';
