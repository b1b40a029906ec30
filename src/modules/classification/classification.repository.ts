import type { Tx } from '../../db/pool.js';
import type { Masking, PiiKind, Sensitivity } from './classification.detect.js';

/**
 * A proposal as stored; its kinds, sensitivities and maskings are those the detector and the API
 * write.
 */
export interface ProposalRow {
  resource_id: string;
  field: string;
  detected_kind: PiiKind;
  share: string;
  sampled: number;
  proposed_sensitivity: Sensitivity;
  proposed_masking: Masking;
  status: 'proposed' | 'accepted' | 'changed';
  decided_sensitivity: Sensitivity | null;
  decided_masking: Masking | null;
  decided_by: string | null;
  decided_at: Date | null;
  source: string;
  created_at: Date;
}

/** Records a proposal; one the provider already decided is left alone. */
export async function upsertProposal(
  tx: Tx,
  p: {
    resourceId: string;
    field: string;
    kind: string;
    share: number;
    sampled: number;
    sensitivity: string;
    masking: string;
    source: string;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO classification_proposals (resource_id, field, detected_kind, share, sampled, proposed_sensitivity, proposed_masking, source)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (resource_id, field) DO UPDATE SET detected_kind = excluded.detected_kind, share = excluded.share, sampled = excluded.sampled,
       proposed_sensitivity = excluded.proposed_sensitivity, proposed_masking = excluded.proposed_masking, source = excluded.source, created_at = now()
     WHERE classification_proposals.status = 'proposed'`,
    [p.resourceId, p.field, p.kind, p.share, p.sampled, p.sensitivity, p.masking, p.source],
  );
}

export async function listProposals(tx: Tx, resourceId: string): Promise<ProposalRow[]> {
  const { rows } = await tx.query<ProposalRow>(
    'SELECT * FROM classification_proposals WHERE resource_id = $1 ORDER BY field',
    [resourceId],
  );
  return rows;
}

/**
 * Per pooled resource, the fields whose proposal awaits the provider's decision: of the resources
 * `resourceIds`, or of those the body `providerOrgId` provides. Resources with none are absent.
 */
export async function undecidedCounts(
  tx: Tx,
  of: { resourceIds: string[] } | { providerOrgId: string },
): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ id: string; n: number }>(
    `SELECT p.resource_id AS id, count(*)::int AS n
       FROM classification_proposals p JOIN pool_tables t ON t.resource_id = p.resource_id
      WHERE p.status = 'proposed' AND (p.resource_id = ANY($1::uuid[]) OR t.provider_org_id = $2)
      GROUP BY 1 ORDER BY 1`,
    ['resourceIds' in of ? of.resourceIds : [], 'providerOrgId' in of ? of.providerOrgId : null],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

export async function decide(
  tx: Tx,
  d: {
    resourceId: string;
    field: string;
    status: 'accepted' | 'changed';
    sensitivity: string;
    masking: string;
    by: string;
  },
): Promise<ProposalRow | null> {
  const { rows } = await tx.query<ProposalRow>(
    `UPDATE classification_proposals SET status = $3, decided_sensitivity = $4, decided_masking = $5, decided_by = $6, decided_at = now()
      WHERE resource_id = $1 AND field = $2 RETURNING *`,
    [d.resourceId, d.field, d.status, d.sensitivity, d.masking, d.by],
  );
  return rows[0] ?? null;
}
