export { append, appendAlone, type AuditActor, type AuditEntry } from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
export { AuditBatcher } from './audit.batcher.js';
export { channelUsage, rollUpHours } from './audit.repository.js';
