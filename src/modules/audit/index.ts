export {
  append,
  appendAlone,
  verify,
  type AuditActor,
  type AuditEntry,
  type VerifyResult,
} from './audit.service.js';
export { auditRoutes } from './audit.routes.js';
export { AuditBatcher } from './audit.batcher.js';
export { channelUsage, rollUpHours } from './audit.repository.js';
