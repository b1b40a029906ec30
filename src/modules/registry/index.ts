export { registryRoutes } from './registry.routes.js';
export { registryTasks } from './registry.tasks.js';
export {
  createSystem,
  createTable,
  updateSystem,
  createDataset,
  createFunctionItem,
  submitFunctionList,
  decideFunctionList,
} from './registry.service.js';
