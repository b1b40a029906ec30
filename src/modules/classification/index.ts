export {
  detectKind,
  kindOf,
  PROPOSALS,
  type PiiKind,
  type Detection,
} from './classification.detect.js';
export {
  proposeFromSample,
  recordProposals,
  listProposals,
  decideProposal,
  undecidedCounts,
  type Proposal,
  type Decision,
  type SampledField,
} from './classification.service.js';
export { classificationTasks } from './classification.tasks.js';
