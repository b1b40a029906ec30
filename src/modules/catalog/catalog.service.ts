import type { Tx } from '../../db/pool.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import type { Actor } from '../identity/index.js';
import type { Profile } from '../profiles/index.js';
import * as repo from './catalog.repository.js';
import { runPublishHooks } from './catalog.hooks.js';
import {
  EDITABLE,
  TRANSITIONS,
  availableActions,
  catalogScope,
  mayEdit,
  mayWriteFor,
  seesWorkingCopy,
} from './catalog.policy.js';
import type {
  DedupeQuery,
  ResourceCreate,
  ResourcePatch,
  ResourceQuery,
} from './catalog.schemas.js';
import { queryWords, toTsquery, toTsvector } from './catalog.search.js';
import type { CatalogField, EntryContent, PoolResource, ResourceStatus } from './catalog.types.js';
import { validateContent } from './catalog.validate.js';
import { diffContent } from './catalog.diff.js';

/** The content of an entry as the working copy holds it. */
function contentOf(r: repo.ResourceRow): EntryContent {
  return {
    name: r.name,
    summary: r.summary,
    categoryCode: r.category_code,
    sourceSystemId: r.source_system_id,
    sourceTableIds: r.source_table_ids ?? [],
    identifierKind: r.identifier_kind,
    identifierField: r.identifier_field,
    shareType: r.share_type,
    shareConditions: r.share_conditions,
    legalBasis: r.legal_basis,
    openType: r.open_type,
    securityLevel: r.security_level,
    updateFrequency: r.update_frequency,
    keywords: r.keywords,
    fields: r.fields,
  };
}

const searchVector = (c: EntryContent) =>
  toTsvector({
    name: c.name,
    summary: c.summary,
    keywords: c.keywords,
    fields: c.fields.map((f) => `${f.label} ${f.name.replace(/_/g, ' ')}`),
  });

/** Normalises optional parts so that versions compare equal when nothing really changed. */
function normalise(
  input: Partial<EntryContent> & Pick<EntryContent, 'fields'>,
  base?: EntryContent,
): EntryContent {
  const c = { ...base, ...input } as EntryContent;
  const blank = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);
  return {
    name: c.name.trim(),
    summary: c.summary.trim(),
    categoryCode: c.categoryCode,
    sourceSystemId: c.sourceSystemId ?? null,
    sourceTableIds: [...(c.sourceTableIds ?? [])].sort(),
    identifierKind: c.identifierKind,
    identifierField: c.identifierField || null,
    shareType: c.shareType,
    shareConditions: blank(c.shareConditions),
    legalBasis: blank(c.legalBasis),
    openType: c.openType,
    securityLevel: c.securityLevel,
    updateFrequency: c.updateFrequency,
    keywords: [...new Set((c.keywords ?? []).map((k) => k.trim()).filter(Boolean))],
    fields: c.fields.map((f) => ({
      name: f.name,
      label: f.label.trim(),
      type: f.type,
      length: f.length ?? null,
      required: f.required,
      description: blank(f.description),
      sensitivity: f.sensitivity,
      piiKind: f.piiKind ?? null,
      masking: f.masking ?? (f.sensitivity === 'personal' ? 'partial' : 'none'),
      pattern: f.pattern || null,
      enumValues: f.enumValues?.length ? f.enumValues : null,
      min: f.min ?? null,
      max: f.max ?? null,
      validator: f.validator ?? null,
    })),
  };
}

/** Checks the content and that its category, source system and tables exist for the provider. */
async function checkContent(
  tx: Tx,
  c: EntryContent,
  providerOrgId: string,
  profile: Profile,
): Promise<void> {
  validateContent(c, profile);
  if (!(await repo.getCategory(tx, c.categoryCode))) throw invalid('categoryCode', 'exists');
  if (c.sourceSystemId && !(await repo.systemOfOrg(tx, providerOrgId, c.sourceSystemId)))
    throw invalid('sourceSystemId', 'exists');
  if (c.sourceTableIds.length) {
    const found = new Set(await repo.tablesOfOrg(tx, providerOrgId, c.sourceTableIds));
    const missing = c.sourceTableIds.find((t) => !found.has(t));
    if (missing) throw invalid('sourceTableIds', 'exists', { value: missing });
  }
}

/**
 * The entry code rule: `<category code>-<provider's 组织机构代码>-<sequence>`, e.g.
 * `0102-700000116-0003`. The middle part is characters 9–17 of the provider's 统一社会信用代码 (GB 32100),
 * the sequence counts the provider's entries in that category from 0001. A code never changes once
 * given.
 */
async function nextCode(
  tx: Tx,
  categoryCode: string,
  org: { id: string; code: string },
): Promise<string> {
  const seq = await repo.nextSequence(tx, categoryCode, org.id);
  return `${categoryCode}-${org.code.slice(8, 17)}-${String(seq).padStart(4, '0')}`;
}

/** Writes a new draft entry and its first version. */
export async function createResource(
  tx: Tx,
  actor: Actor,
  input: ResourceCreate,
  profile: Profile,
): Promise<repo.ResourceRow> {
  const orgId = input.providerOrgId ?? actor.orgId;
  if (!mayWriteFor(actor, orgId))
    throw new AppError('FORBIDDEN', { field: 'providerOrgId', rule: 'own_organisation' });
  const org = await repo.orgById(tx, orgId);
  if (!org) throw invalid('providerOrgId', 'exists');
  const content = normalise(input);
  await checkContent(tx, content, orgId, profile);
  const id = await repo.insertResource(tx, {
    code: await nextCode(tx, content.categoryCode, org),
    providerOrgId: orgId,
    createdBy: actor.kind === 'user' ? actor.id : null,
    content,
    search: searchVector(content),
  });
  await repo.setSources(tx, id, content.sourceTableIds);
  await repo.insertVersion(tx, {
    resourceId: id,
    version: 1,
    snapshot: content,
    comment: input.comment ?? null,
    authorId: actor.id,
    authorName: actor.displayName,
  });
  await repo.insertEvent(tx, {
    resourceId: id,
    action: 'create',
    fromStatus: null,
    toStatus: 'draft',
    version: 1,
    comment: input.comment ?? null,
    actorId: actor.id,
    actorName: actor.displayName,
    actorOrg: actor.orgName,
  });
  return (await repo.getResource(tx, id, null))!;
}

/**
 * Loads an entry for a change by the actor; another body's unpublished entry does not exist for
 * them.
 */
async function loadForChange(tx: Tx, actor: Actor, id: string): Promise<repo.ResourceRow> {
  const row = await repo.getResource(tx, id, catalogScope(actor), true);
  if (!row) throw notFound();
  return row;
}

/**
 * Saves a change as a new version. A published entry stays visible as published while its
 * revision (now a draft) goes through approval again. A change that changes nothing is no version.
 */
export async function updateResource(
  tx: Tx,
  actor: Actor,
  id: string,
  patch: ResourcePatch,
  profile: Profile,
): Promise<repo.ResourceRow> {
  const row = await loadForChange(tx, actor, id);
  if (!mayEdit(actor, row.provider_org_id))
    throw new AppError('FORBIDDEN', { rule: 'provider_only' });
  if (!EDITABLE.includes(row.status))
    throw new AppError('RESOURCE_STATE', { status: row.status, action: 'edit' });
  const { comment, ...changes } = patch;
  const before = contentOf(row);
  const content = normalise({ ...before, ...changes } as EntryContent);
  await checkContent(tx, content, row.provider_org_id, profile);
  if (JSON.stringify(content) === JSON.stringify(normalise(before))) return row;
  const version = row.current_version + 1;
  await repo.updateContent(tx, id, content, searchVector(content), version, 'draft');
  await repo.setSources(tx, id, content.sourceTableIds);
  await repo.insertVersion(tx, {
    resourceId: id,
    version,
    snapshot: content,
    comment: comment ?? null,
    authorId: actor.id,
    authorName: actor.displayName,
  });
  await repo.insertEvent(tx, {
    resourceId: id,
    action: 'edit',
    fromStatus: row.status,
    toStatus: 'draft',
    version,
    comment: comment ?? null,
    actorId: actor.id,
    actorName: actor.displayName,
    actorOrg: actor.orgName,
  });
  return (await repo.getResource(tx, id, null))!;
}

/**
 * Writes one field's classification (a detection proposal the provider decided on) into the
 * entry's working copy: a new draft version, reviewed and published like any other edit (none when
 * the entry says so already). Returns the entry's version and status after it, or null when the
 * entry cannot take an edit now (under review, retired) or the actor may not edit it.
 */
export async function classifyField(
  tx: Tx,
  actor: Actor,
  id: string,
  name: string,
  c: Pick<CatalogField, 'sensitivity' | 'masking' | 'piiKind'>,
  profile: Profile,
): Promise<{ version: number; status: ResourceStatus } | null> {
  const row = await loadForChange(tx, actor, id);
  if (!EDITABLE.includes(row.status) || !mayEdit(actor, row.provider_org_id)) return null;
  const fields = contentOf(row).fields.map((f) => (f.name === name ? { ...f, ...c } : f));
  const after = await updateResource(
    tx,
    actor,
    id,
    { fields, comment: `个人信息识别：${name}` },
    profile,
  );
  return { version: after.current_version, status: after.status };
}

/**
 * Moves an entry along its lifecycle; publishing runs the publish hooks in the same transaction.
 */
export async function transition(
  tx: Tx,
  actor: Actor,
  id: string,
  action: keyof typeof TRANSITIONS,
  comment: string | undefined,
): Promise<repo.ResourceRow> {
  const rule = TRANSITIONS[action];
  const row = await loadForChange(tx, actor, id);
  if (!rule.allowed(actor, row.provider_org_id)) throw new AppError('FORBIDDEN', { action });
  if (!rule.from.includes(row.status))
    throw new AppError('RESOURCE_STATE', { status: row.status, action, allowedFrom: rule.from });
  if (rule.needsComment && !comment?.trim()) throw invalid('comment', 'required');
  await repo.setStatus(tx, id, rule.to, action === 'publish');
  await repo.insertEvent(tx, {
    resourceId: id,
    action,
    fromStatus: row.status,
    toStatus: rule.to,
    version: row.current_version,
    comment: comment?.trim() || null,
    actorId: actor.id,
    actorName: actor.displayName,
    actorOrg: actor.orgName,
  });
  const after = (await repo.getResource(tx, id, null))!;
  if (action === 'publish')
    await runPublishHooks(tx, toPoolResource(after, contentOf(after), after.current_version));
  return after;
}

/**
 * What an actor sees of an entry: the working copy, or (for others during a revision) the published
 * version.
 */
export interface ResourceView {
  row: repo.ResourceRow;
  content: EntryContent;
  version: number;
  status: ResourceStatus;
  history: repo.EventRow[];
  actions: string[];
}

export async function viewResource(tx: Tx, actor: Actor, id: string): Promise<ResourceView> {
  const row = await repo.getResource(tx, id, catalogScope(actor));
  if (!row) throw notFound();
  const history = await repo.listEvents(tx, id);
  if (seesWorkingCopy(actor, row.provider_org_id)) {
    return {
      row,
      content: contentOf(row),
      version: row.current_version,
      status: row.status,
      history,
      actions: availableActions(actor, row.status, row.provider_org_id),
    };
  }
  const published = await publishedContent(tx, row);
  const status: ResourceStatus = row.status === 'retired' ? 'retired' : 'published';
  return {
    row,
    content: published,
    version: row.published_version!,
    status,
    history: history.filter(
      (e) =>
        e.version <= row.published_version! && ['publish', 'retire', 'create'].includes(e.action),
    ),
    actions: [],
  };
}

async function publishedContent(tx: Tx, row: repo.ResourceRow): Promise<EntryContent> {
  if (row.status === 'published' || row.status === 'retired' || row.published_version === null)
    return contentOf(row);
  return (await repo.getVersion(tx, row.id, row.published_version))!.snapshot;
}

/** Search and browse with facet counts; the scope keeps other bodies' unpublished entries out. */
export async function listResources(tx: Tx, actor: Actor, q: ResourceQuery) {
  const filter: repo.SearchFilter = {
    scope: catalogScope(actor),
    tsquery: q.q ? toTsquery(q.q) : null,
    status: q.status,
    provider: q.provider,
    shareType: q.shareType,
    openType: q.openType,
    category: q.category,
    level: q.level,
    mine: q.mine,
  };
  // A query made only of punctuation finds nothing rather than everything.
  if (q.q && !filter.tsquery) return { rows: [], total: 0, facets: emptyFacets() };
  const limit = q.pageSize ?? 20;
  const { rows, total } = await repo.search(tx, filter, limit, ((q.page ?? 1) - 1) * limit);
  const dims: repo.FacetDimension[] = [
    'provider',
    'category',
    'shareType',
    'openType',
    'level',
    'status',
  ];
  const counts: Awaited<ReturnType<typeof repo.facet>>[] = [];
  // one transaction: one query at a time
  for (const d of dims) counts.push(await repo.facet(tx, filter, d));
  return {
    rows,
    total,
    facets: Object.fromEntries(dims.map((d, i) => [d, counts[i]])) as Record<
      repo.FacetDimension,
      { value: string; label: string; count: number }[]
    >,
  };
}
const emptyFacets = () => ({
  provider: [],
  category: [],
  shareType: [],
  openType: [],
  level: [],
  status: [],
});

export async function listVersions(tx: Tx, actor: Actor, id: string) {
  const view = await viewResource(tx, actor, id);
  const rows = await repo.listVersions(tx, id);
  return { view, rows: rows.filter((v) => v.version <= view.version) };
}

/** Attribute and field differences between two versions the actor may see. */
export async function diffVersions(tx: Tx, actor: Actor, id: string, from: number, to: number) {
  const view = await viewResource(tx, actor, id);
  const a = await repo.getVersion(tx, id, from);
  const b = await repo.getVersion(tx, id, to);
  if (!a || from > view.version) throw invalid('from', 'version_exists');
  if (!b || to > view.version) throw invalid('to', 'version_exists');
  return { from, to, ...diffContent(a.snapshot, b.snapshot), left: a.snapshot, right: b.snapshot };
}

/**
 * Entries that overlap a planned request by name and fields `[000 §12]`: the share of the
 * name's words found in the entry's name, and the given fields the entry already holds.
 */
export async function dedupe(tx: Tx, actor: Actor, q: DedupeQuery) {
  const terms = (q.fields ?? '')
    .split(/[,，、\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const nameWords = q.name ? queryWords(q.name) : [];
  if (!nameWords.length && !terms.length) throw invalid('name', 'name_or_fields_required');
  const tsquery = q.name ? toTsquery(q.name, 'any') : null;
  const candidates = await repo.dedupeCandidates(tx, catalogScope(actor), tsquery, terms);
  const lowered = new Set(terms.map((t) => t.toLowerCase()));
  return candidates
    .map((r) => {
      const words = new Set(queryWords(r.name));
      const nameScore = nameWords.length
        ? nameWords.filter((w) => words.has(w)).length / nameWords.length
        : 0;
      const matchedFields = r.fields
        .filter((f) => lowered.has(f.name.toLowerCase()) || lowered.has(f.label.toLowerCase()))
        .map((f) => f.label);
      const fieldScore = terms.length ? matchedFields.length / terms.length : 0;
      const score =
        nameWords.length && terms.length
          ? 0.5 * nameScore + 0.5 * fieldScore
          : nameScore + fieldScore;
      return { row: r, nameScore, matchedFields, score: Math.round(score * 100) / 100 };
    })
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 20);
}

export const listCategories = (tx: Tx) => repo.listCategories(tx);

/** The pool's view of an entry: its published version when there is one, else the working copy. */
export async function getPoolResource(tx: Tx, id: string): Promise<PoolResource | undefined> {
  const row = await repo.getResource(tx, id, null);
  if (!row) return undefined;
  if (row.published_version === null)
    return toPoolResource(row, contentOf(row), row.current_version);
  const content = await publishedContent(tx, row);
  return toPoolResource(
    { ...row, status: row.status === 'retired' ? 'retired' : 'published' },
    content,
    row.published_version,
  );
}

function toPoolResource(row: repo.ResourceRow, c: EntryContent, version: number): PoolResource {
  return {
    id: row.id,
    code: row.code,
    name: c.name,
    providerOrgId: row.provider_org_id,
    version,
    identifierField: c.identifierField,
    updateFrequency: c.updateFrequency,
    shareType: c.shareType,
    openType: c.openType,
    status: row.status,
    fields: c.fields,
  };
}

/** One page (200) of entries for a spreadsheet export, in code order of relevance. */
export async function exportPage(
  tx: Tx,
  actor: Actor,
  q: Omit<ResourceQuery, 'page' | 'pageSize'>,
  page: number,
) {
  const filter: repo.SearchFilter = {
    scope: catalogScope(actor),
    tsquery: q.q ? toTsquery(q.q) : null,
    status: q.status,
    provider: q.provider,
    shareType: q.shareType,
    openType: q.openType,
    category: q.category,
    level: q.level,
    mine: q.mine,
  };
  if (q.q && !filter.tsquery) return [];
  return (await repo.search(tx, filter, 200, (page - 1) * 200)).rows;
}

/**
 * What an export shows of a listed entry: an outsider gets the published version of a revision
 * under way.
 */
export const contentForExport = (r: repo.ListRow): EntryContent =>
  r.public_snapshot ?? contentOf(r);
