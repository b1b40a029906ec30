import type { Tx } from '../../db/pool.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import type { Actor } from '../identity/index.js';
import type { Profile } from '../profiles/index.js';
import { createResource, type CatalogField } from '../catalog/index.js';
import * as repo from './registry.repository.js';
import { PROPOSALS, recordProposals, type PiiKind } from '../classification/index.js';
import { introspect } from './registry.introspect.js';
import { mayWrite, readScope } from './registry.policy.js';
import type {
  Column,
  DatasetCreate,
  FromTable,
  FunctionItemCreate,
  FunctionItemPatch,
  Introspect,
  SystemCreate,
  SystemPatch,
  TableCreate,
  TablePatch,
} from './registry.schemas.js';

const targetOrg = (actor: Actor, orgId: string | undefined) => {
  const org = orgId ?? actor.orgId;
  if (!mayWrite(actor, org))
    throw new AppError('FORBIDDEN', { field: 'orgId', rule: 'own_organisation' });
  return org;
};

// systems

export const listSystems = (tx: Tx, actor: Actor, org?: string) =>
  repo.listSystems(tx, readScope(actor), org ?? null);

export async function getSystem(tx: Tx, actor: Actor, id: string) {
  const s = await repo.getSystem(tx, id, readScope(actor));
  if (!s) throw notFound();
  return s;
}

export async function createSystem(tx: Tx, actor: Actor, input: SystemCreate) {
  const id = await repo.insertSystem(tx, {
    org_id: targetOrg(actor, input.orgId),
    name: input.name,
    description: input.description ?? null,
    owner: input.owner,
    construction_stage: input.constructionStage,
  });
  return (await repo.getSystem(tx, id, null))!;
}

async function systemForWrite(tx: Tx, actor: Actor, id: string) {
  const s = await repo.getSystem(tx, id, readScope(actor), true);
  if (!s) throw notFound();
  if (!mayWrite(actor, s.org_id)) throw new AppError('FORBIDDEN', { rule: 'own_organisation' });
  return s;
}

/**
 * Changes a system. Marking it accepted (验收) needs its data registered, and every registered table
 * either catalogued (and so pooled once published) or exempted with a legal basis `[000 §11]`.
 */
export async function updateSystem(tx: Tx, actor: Actor, id: string, patch: SystemPatch) {
  const s = await systemForWrite(tx, actor, id);
  if (patch.accepted === true && !s.accepted) {
    const tables = await repo.listTables(tx, id);
    if (!tables.length && !(await repo.countDatasetsOfSystem(tx, id)))
      throw invalid('accepted', 'no_data_registered');
    const open = tables.filter((t) => !t.catalogued && !t.exemption_basis);
    if (open.length)
      throw invalid('accepted', 'tables_not_catalogued_or_exempted', {
        tables: open.map((t) => t.name),
      });
  }
  await repo.updateSystem(tx, id, {
    name: patch.name,
    description: patch.description,
    owner: patch.owner,
    construction_stage: patch.constructionStage,
    accepted: patch.accepted,
  });
  return (await repo.getSystem(tx, id, null))!;
}

// tables

export async function listTables(tx: Tx, actor: Actor, systemId: string) {
  await getSystem(tx, actor, systemId);
  return repo.listTables(tx, systemId);
}

const toColumn = (c: Column): repo.ColumnDef => ({
  name: c.name,
  type: c.type,
  length: c.length ?? null,
  nullable: c.nullable ?? true,
  primaryKey: c.primaryKey ?? false,
  comment: c.comment ?? null,
});

function checkColumns(columns: Column[]): void {
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name.toLowerCase()))
      throw invalid(`columns.${i}.name`, 'unique', { value: c.name });
    seen.add(c.name.toLowerCase());
  });
}

export async function createTable(
  tx: Tx,
  actor: Actor,
  systemId: string,
  input: TableCreate,
  source: 'manual' | 'xlsx' = 'manual',
) {
  await systemForWrite(tx, actor, systemId);
  checkColumns(input.columns);
  const id = await repo.upsertTable(tx, {
    system_id: systemId,
    database_name: input.databaseName ?? '',
    name: input.name,
    comment: input.comment ?? null,
    columns: input.columns.map(toColumn),
    source,
  });
  return (await repo.getTable(tx, id, null))!;
}

/**
 * Registers every table of a filled-in sheet, or none: a sheet with any bad row is refused whole.
 */
export async function importTables(
  tx: Tx,
  actor: Actor,
  systemId: string,
  sheet: { tables: TableCreate[]; problems: { row: number; column: string; rule: string }[] },
) {
  await systemForWrite(tx, actor, systemId);
  if (sheet.problems.length)
    throw new AppError('VALIDATION_FAILED', {
      field: 'body',
      rule: 'sheet_rows',
      rows: sheet.problems,
    });
  const tables = [];
  for (const t of sheet.tables) tables.push(await createTable(tx, actor, systemId, t, 'xlsx'));
  return tables;
}

export async function updateTable(
  tx: Tx,
  actor: Actor,
  systemId: string,
  tableId: string,
  patch: TablePatch,
) {
  await systemForWrite(tx, actor, systemId);
  const t = await repo.getTable(tx, tableId, null);
  if (!t || t.system_id !== systemId) throw notFound();
  if (patch.columns) checkColumns(patch.columns);
  if (
    patch.exemptionBasis !== undefined &&
    patch.exemptionBasis !== null &&
    !patch.exemptionBasis.trim()
  )
    throw invalid('exemptionBasis', 'not_blank');
  await repo.updateTable(tx, tableId, {
    comment: patch.comment,
    columns: patch.columns?.map(toColumn),
    exemption_basis:
      patch.exemptionBasis === undefined ? undefined : (patch.exemptionBasis?.trim() ?? null),
  });
  return (await repo.getTable(tx, tableId, null))!;
}

/** Reads the body's live database and registers (or refreshes) each table found. */
export async function introspectTables(tx: Tx, actor: Actor, systemId: string, input: Introspect) {
  await systemForWrite(tx, actor, systemId);
  const live = await introspect(input.connectionString, input.schema, input.tables);
  if (!live.tables.length) throw invalid(input.tables ? 'tables' : 'schema', 'no_tables_found');
  const ids: string[] = [];
  for (const t of live.tables) {
    ids.push(
      await repo.upsertTable(tx, {
        system_id: systemId,
        database_name: t.databaseName,
        name: t.name,
        comment: t.comment,
        columns: t.columns,
        source: live.kind,
      }),
    );
  }
  const rows: repo.TableRow[] = [];
  for (const id of ids) rows.push((await repo.getTable(tx, id, null))!);
  return rows;
}

// catalog entries from tables

/**
 * Validator for personal data found in sampled values; unlike PII_BY_NAME, mobiles found in values
 * get one.
 */
const VALIDATOR_OF: Partial<Record<PiiKind, 'id_card' | 'uscc' | 'mobile' | 'bank_card'>> = {
  id_card: 'id_card',
  uscc: 'uscc',
  mobile: 'mobile',
  bank_card: 'bank_card',
};
/** Personal data a column's name suggests, and its validator. */
const PII_BY_NAME: [RegExp, CatalogField['piiKind'], CatalogField['validator']][] = [
  [/(id_?card|sfz|sfzh|identity_no|gmsfhm)/, 'id_card', 'id_card'],
  [/(mobile|phone|sjhm|lxdh|tel)/, 'mobile', null],
  [/(uscc|credit_code|tyshxydm)/, 'uscc', 'uscc'],
  [/(bank_?card|yhkh)/, 'bank_card', 'bank_card'],
  [/(plate|hphm|cphm)/, 'plate', null],
  [/(address|addr|dz$|zz$)/, 'address', null],
  [/(^name$|full_?name|^xm$|person_name)/, 'name', null],
  [/(email|mail)/, 'email', null],
];

function fieldType(type: string): CatalogField['type'] {
  const t = type.toLowerCase();
  if (/^(tinyint\(1\)|bool)/.test(t)) return 'boolean';
  if (/(int|serial)/.test(t)) return 'integer';
  if (/(numeric|decimal|float|double|real|money)/.test(t)) return 'decimal';
  if (/^(timestamp|datetime)/.test(t)) return 'datetime';
  if (/^date/.test(t)) return 'date';
  return 'string';
}

/**
 * Turns a table's columns into catalog fields: machine names made safe and unique, labels from
 * comments, personal data guessed from names.
 */
function columnsToFields(columns: repo.ColumnDef[]): CatalogField[] {
  const used = new Set<string>();
  return columns.map((c) => {
    let name = c.name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '');
    if (!/^[a-z]/.test(name)) name = `f_${name}`;
    name = name.slice(0, 60);
    let unique = name;
    for (let i = 2; used.has(unique); i++) unique = `${name}_${i}`;
    used.add(unique);
    const type = fieldType(c.type);
    const pii = type === 'string' ? PII_BY_NAME.find(([re]) => re.test(unique)) : undefined;
    // What sampled values showed beats what the column's name suggests.
    const seen = c.detectedPii ? (c.detectedPii as PiiKind) : undefined;
    const personal: Pick<CatalogField, 'sensitivity' | 'piiKind' | 'masking' | 'validator'> = seen
      ? {
          sensitivity: PROPOSALS[seen].sensitivity,
          piiKind: seen,
          masking: PROPOSALS[seen].masking,
          validator: VALIDATOR_OF[seen] ?? null,
        }
      : {
          sensitivity: pii ? 'personal' : 'internal',
          piiKind: pii?.[1] ?? null,
          masking: pii ? 'partial' : 'none',
          validator: pii?.[2] ?? null,
        };
    return {
      name: unique,
      label: (c.comment?.trim() || c.name).slice(0, 100),
      type,
      length: type === 'string' || type === 'decimal' ? c.length : null,
      required: !c.nullable || c.primaryKey,
      description: c.comment ?? null,
      ...personal,
    };
  });
}

/**
 * Creates a draft catalog entry from a registered table in one step: its columns become the fields.
 */
export async function resourceFromTable(tx: Tx, actor: Actor, input: FromTable, profile: Profile) {
  const t = await repo.getTable(tx, input.tableId, readScope(actor));
  if (!t) throw invalid('tableId', 'exists');
  const fields = columnsToFields(t.columns);
  const pk = t.columns.findIndex((c) => c.primaryKey);
  const idField = fields.find((f) => f.piiKind === 'id_card' || f.piiKind === 'uscc');
  const unconditional = profile.shareTypes.find((s) => s.kind === 'unconditional')!;
  const resource = await createResource(
    tx,
    actor,
    {
      providerOrgId: t.org_id,
      name: input.name ?? (t.comment?.trim() || t.name),
      summary: input.summary ?? (t.comment?.trim() || `${t.name} 表`),
      categoryCode: input.categoryCode ?? '03',
      sourceTableIds: [t.id],
      sourceSystemId: t.system_id,
      identifierKind: idField
        ? idField.piiKind === 'uscc'
          ? 'uscc'
          : 'id_card'
        : pk >= 0
          ? 'unified_code'
          : 'none',
      identifierField: idField?.name ?? (pk >= 0 ? fields[pk].name : null),
      shareType: input.shareType ?? unconditional.code,
      shareConditions: input.shareConditions ?? null,
      legalBasis: input.legalBasis ?? null,
      openType: 'not_open',
      securityLevel: 'general',
      updateFrequency: input.updateFrequency ?? 'irregular',
      keywords: [],
      fields,
      comment: `由登记表 ${t.database_name ? `${t.database_name}.` : ''}${t.name} 生成`,
    },
    profile,
  );
  // What sampling the live table found stays on record as proposals the provider can accept or
  // change.
  await recordProposals(
    tx,
    resource.id,
    t.columns.flatMap((c, i) =>
      c.detectedPii
        ? [
            {
              field: fields[i].name,
              kind: c.detectedPii as PiiKind,
              share: c.detectedShare ?? 1,
              sampled: c.detectedSampled ?? 0,
            },
          ]
        : [],
    ),
    'registration',
  );
  return resource;
}

// data sets

export const listDatasets = (tx: Tx, actor: Actor, q: { org?: string; kind?: string }) =>
  repo.listDatasets(tx, readScope(actor), q.org ?? null, q.kind ?? null);

export async function createDataset(tx: Tx, actor: Actor, input: DatasetCreate) {
  const org = targetOrg(actor, input.orgId);
  if (input.systemId) {
    const s = await repo.getSystem(tx, input.systemId, org);
    if (!s) throw invalid('systemId', 'exists');
  }
  if (input.kind === 'purchased' && !input.supplier?.trim())
    throw invalid('supplier', 'required_for_purchased');
  return repo.insertDataset(tx, {
    org_id: org,
    system_id: input.systemId ?? null,
    kind: input.kind,
    name: input.name,
    description: input.description ?? null,
    format: input.format ?? null,
    volume: input.volume ?? null,
    supplier: input.supplier ?? null,
    contract_no: input.contractNo ?? null,
    valid_until: input.validUntil ?? null,
  });
}

// function data list [003 §10]

/**
 * A body's list with where it stands: not submitted since it changed (null), submitted, approved or
 * returned.
 */
export async function listFunctionItems(tx: Tx, actor: Actor, org?: string) {
  const scope = readScope(actor);
  const orgId = org ?? actor.orgId;
  if (scope !== null && scope !== orgId) throw notFound();
  return {
    items: await repo.listFunctionItems(tx, orgId),
    review: (await repo.getFunctionReview(tx, orgId)) ?? null,
  };
}

/** The body submits its list to the data authority for 审定 [003 §10]. */
export async function submitFunctionList(tx: Tx, actor: Actor, orgId: string | undefined) {
  const org = targetOrg(actor, orgId);
  const review = await repo.getFunctionReview(tx, org);
  if (review?.status === 'approved')
    throw new AppError('CONFLICT', { field: 'status', rule: 'already_approved' });
  if ((await repo.listFunctionItems(tx, org)).length === 0)
    throw invalid('items', 'min_items', { min: 1 });
  await repo.submitFunctionList(tx, org, actor.displayName);
  return (await repo.getFunctionReview(tx, org))!;
}

/** The data authority approves a submitted list, or returns it with the reason. */
export async function decideFunctionList(
  tx: Tx,
  actor: Actor,
  orgId: string,
  decision: 'approve' | 'return',
  comment: string | undefined,
) {
  const review = await repo.getFunctionReview(tx, orgId);
  if (review?.status !== 'submitted')
    throw new AppError('CONFLICT', {
      field: 'status',
      rule: 'not_submitted',
      status: review?.status ?? null,
    });
  if (decision === 'return' && !comment?.trim()) throw invalid('comment', 'required');
  await repo.decideFunctionList(
    tx,
    orgId,
    decision === 'approve' ? 'approved' : 'returned',
    actor.displayName,
    comment?.trim() || null,
  );
  return (await repo.getFunctionReview(tx, orgId))!;
}

export const submittedFunctionLists = (tx: Tx) => repo.submittedFunctionLists(tx);

async function checkResource(tx: Tx, resourceId: string | null | undefined, orgId: string) {
  if (resourceId && !(await repo.resourceOfOrg(tx, resourceId, orgId)))
    throw invalid('resourceId', 'own_catalog_entry');
}

export async function createFunctionItem(tx: Tx, actor: Actor, input: FunctionItemCreate) {
  const org = targetOrg(actor, input.orgId);
  await checkResource(tx, input.resourceId, org);
  const id = await repo.insertFunctionItem(tx, {
    org_id: org,
    duty: input.duty,
    duty_basis: input.dutyBasis ?? null,
    data_name: input.dataName,
    description: input.description ?? null,
    resource_id: input.resourceId ?? null,
  });
  await repo.clearFunctionReview(tx, org);
  return (await repo.getFunctionItem(tx, id, null))!;
}

async function itemForWrite(tx: Tx, actor: Actor, id: string) {
  const item = await repo.getFunctionItem(tx, id, readScope(actor));
  if (!item) throw notFound();
  if (!mayWrite(actor, item.org_id)) throw new AppError('FORBIDDEN', { rule: 'own_organisation' });
  return item;
}

export async function updateFunctionItem(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: FunctionItemPatch,
) {
  const item = await itemForWrite(tx, actor, id);
  await checkResource(tx, patch.resourceId, item.org_id);
  await repo.updateFunctionItem(tx, id, {
    duty: patch.duty,
    duty_basis: patch.dutyBasis,
    data_name: patch.dataName,
    description: patch.description,
    resource_id: patch.resourceId,
  });
  await repo.clearFunctionReview(tx, item.org_id);
  return (await repo.getFunctionItem(tx, id, null))!;
}

export async function deleteFunctionItem(tx: Tx, actor: Actor, id: string) {
  const item = await itemForWrite(tx, actor, id);
  await repo.deleteFunctionItem(tx, id);
  await repo.clearFunctionReview(tx, item.org_id);
  return item;
}
