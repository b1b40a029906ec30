import type {
  DatasetRow,
  FunctionItemRow,
  FunctionReviewRow,
  SystemRow,
  TableRow,
} from './registry.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const presentSystem = (s: SystemRow) => ({
  id: s.id,
  orgId: s.org_id,
  orgName: s.org_name,
  name: s.name,
  description: s.description,
  owner: s.owner,
  constructionStage: s.construction_stage,
  accepted: s.accepted,
  acceptedAt: iso(s.accepted_at),
  tableCount: s.table_count,
  uncataloguedTables: s.uncatalogued_tables,
  createdAt: s.created_at.toISOString(),
});

export const presentTable = (t: TableRow) => ({
  id: t.id,
  systemId: t.system_id,
  databaseName: t.database_name,
  name: t.name,
  comment: t.comment,
  columns: t.columns,
  source: t.source,
  exemptionBasis: t.exemption_basis,
  catalogued: t.catalogued,
  updatedAt: t.updated_at.toISOString(),
});

export const presentDataset = (d: DatasetRow) => ({
  id: d.id,
  orgId: d.org_id,
  orgName: d.org_name,
  systemId: d.system_id,
  kind: d.kind,
  name: d.name,
  description: d.description,
  format: d.format,
  volume: d.volume,
  supplier: d.supplier,
  contractNo: d.contract_no,
  validUntil: d.valid_until,
  createdAt: d.created_at.toISOString(),
});

export const presentFunctionItem = (f: FunctionItemRow) => ({
  id: f.id,
  orgId: f.org_id,
  duty: f.duty,
  dutyBasis: f.duty_basis,
  dataName: f.data_name,
  description: f.description,
  resourceId: f.resource_id,
  resourceName: f.resource_name,
  createdAt: f.created_at.toISOString(),
});

export const presentFunctionReview = (r: FunctionReviewRow) => ({
  status: r.status,
  submittedAt: r.submitted_at.toISOString(),
  submittedBy: r.submitted_by_name,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decidedBy: r.decided_by_name,
  comment: r.comment,
});
