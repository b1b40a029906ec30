export {
  overdueResources,
  resourceQuality,
  recordRun,
  type OverdueResource,
  type ResourceQuality,
} from './quality.service.js';
export { batchScores, timeliness, FRESH_FOR, type BatchScores } from './quality.scores.js';
export type { RuleResult } from './quality.repository.js';
