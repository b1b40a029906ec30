export { detectKind, kindOf, PROPOSALS, type PiiKind } from './classification.detect.js';
export {
  proposeFromSample,
  recordProposals,
  listProposals,
  decideProposal,
  undecidedCounts,
} from './classification.service.js';
export { classificationTasks } from './classification.tasks.js';
