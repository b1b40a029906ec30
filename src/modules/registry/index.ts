export { registryRoutes } from './registry.routes.js';
export { columnsToFields } from './registry.service.js';
