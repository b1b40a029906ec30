export { overdueResources, resourceQuality, recordRun } from './quality.service.js';
export { batchScores, timeliness } from './quality.scores.js';
export type { RuleResult } from './quality.repository.js';
