import type { Tx } from '../../db/pool.js';
import { AppError } from '../../lib/errors.js';
import {
  PROPOSALS,
  detectKind,
  type Detection,
  type Masking,
  type PiiKind,
  type Sensitivity,
} from './classification.detect.js';
import * as repo from './classification.repository.js';

export interface SampledField {
  name: string;
  values: (string | null)[];
}

/**
 * Scans sampled values of each field and records what it proposes: when a table is registered
 * or the first batch of a resource arrives. Returns the fields it found personal data in.
 */
export async function proposeFromSample(
  tx: Tx,
  resourceId: string,
  fields: SampledField[],
  source: ProposalSource,
): Promise<string[]> {
  const found = fields.flatMap((f) => {
    const d = detectKind(f.values);
    return d ? [{ field: f.name, ...d }] : [];
  });
  await recordProposals(tx, resourceId, found, source);
  return found.map((f) => f.field);
}

export type ProposalSource = 'batch' | 'registration';

/**
 * Records a proposal for each field personal data was found in (until the provider has decided on
 * it).
 */
export async function recordProposals(
  tx: Tx,
  resourceId: string,
  found: (Detection & { field: string })[],
  source: ProposalSource,
): Promise<void> {
  for (const d of found) {
    const p = PROPOSALS[d.kind];
    await repo.upsertProposal(tx, {
      resourceId,
      field: d.field,
      kind: d.kind,
      share: d.share,
      sampled: d.sampled,
      sensitivity: p.sensitivity,
      masking: p.masking,
      source,
    });
  }
}

export interface Proposal {
  field: string;
  detectedKind: PiiKind;
  share: number;
  sampled: number;
  proposed: { sensitivity: Sensitivity; masking: Masking };
  status: 'proposed' | 'accepted' | 'changed';
  /** Where the values were sampled: the live table at registration, or the first batch loaded. */
  source: ProposalSource;
  decided: {
    sensitivity: Sensitivity;
    masking: Masking;
    by: string | null;
    at: string | null;
  } | null;
}

const present = (r: repo.ProposalRow): Proposal => ({
  field: r.field,
  detectedKind: r.detected_kind,
  share: Number(r.share),
  sampled: r.sampled,
  proposed: { sensitivity: r.proposed_sensitivity, masking: r.proposed_masking },
  status: r.status,
  source: r.source as ProposalSource,
  decided: r.decided_sensitivity
    ? {
        sensitivity: r.decided_sensitivity,
        masking: r.decided_masking!,
        by: r.decided_by,
        at: r.decided_at?.toISOString() ?? null,
      }
    : null,
});

export const undecidedCounts = repo.undecidedCounts;

export async function listProposals(tx: Tx, resourceId: string): Promise<Proposal[]> {
  return (await repo.listProposals(tx, resourceId)).map(present);
}

export type Decision = { accept: true } | { sensitivity: Sensitivity; masking: Masking };

/** The provider accepts a proposal as it stands or sets its own sensitivity and masking. */
export async function decideProposal(
  tx: Tx,
  resourceId: string,
  field: string,
  decision: Decision,
  by: string,
): Promise<Proposal> {
  const current = (await repo.listProposals(tx, resourceId)).find((p) => p.field === field);
  if (!current) throw new AppError('NOT_FOUND');
  const chosen =
    'accept' in decision
      ? {
          status: 'accepted' as const,
          sensitivity: current.proposed_sensitivity,
          masking: current.proposed_masking,
        }
      : {
          status: 'changed' as const,
          sensitivity: decision.sensitivity,
          masking: decision.masking,
        };
  return present((await repo.decide(tx, { resourceId, field, by, ...chosen }))!);
}
