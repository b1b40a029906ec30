import type { Profile } from '../profiles/index.js';
import type { CategoryRow, ListRow, VersionRow } from './catalog.repository.js';
import type { ResourceView } from './catalog.service.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const shareTypeName = (profile: Profile, code: string) =>
  profile.shareTypes.find((t) => t.code === code)?.zh ?? code;

export function presentResource(v: ResourceView, profile: Profile) {
  const { row, content: c } = v;
  return {
    id: row.id,
    code: row.code,
    status: v.status,
    providerOrgId: row.provider_org_id,
    providerName: row.provider_name,
    providerCode: row.provider_code,
    version: v.version,
    publishedVersion: row.published_version,
    name: c.name,
    summary: c.summary,
    categoryCode: c.categoryCode,
    categoryName: row.category_name,
    sourceSystemId: c.sourceSystemId,
    sourceSystemName: row.source_system_name,
    sourceTableIds: c.sourceTableIds,
    identifierKind: c.identifierKind,
    identifierField: c.identifierField,
    shareType: c.shareType,
    shareTypeName: shareTypeName(profile, c.shareType),
    shareConditions: c.shareConditions,
    legalBasis: c.legalBasis,
    openType: c.openType,
    securityLevel: c.securityLevel,
    updateFrequency: c.updateFrequency,
    keywords: c.keywords,
    fields: c.fields,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedAt: iso(row.published_at),
    actions: v.actions,
    history: v.history.map((e) => ({
      action: e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      version: e.version,
      comment: e.comment,
      actorName: e.actor_name,
      actorOrg: e.actor_org,
      at: e.created_at.toISOString(),
    })),
  };
}

/** A search hit; an outsider looking at a revision under way sees the published version's text. */
export function presentSummary(r: ListRow) {
  const s = r.public_snapshot;
  return {
    id: r.id,
    code: r.code,
    name: s?.name ?? r.name,
    summary: s?.summary ?? r.summary,
    status: r.shown_status,
    providerOrgId: r.provider_org_id,
    providerName: r.provider_name,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    shareType: s?.shareType ?? r.share_type,
    openType: s?.openType ?? r.open_type,
    securityLevel: s?.securityLevel ?? r.security_level,
    updateFrequency: s?.updateFrequency ?? r.update_frequency,
    keywords: s?.keywords ?? r.keywords,
    fieldCount: (s?.fields ?? r.fields).length,
    version: s ? r.published_version! : r.current_version,
    publishedVersion: r.published_version,
    updatedAt: r.updated_at.toISOString(),
    ...(r.rank === null ? {} : { rank: Number(r.rank) }),
  };
}

/** Facet labels: share types in the profile's words, the rest as stored. */
export function presentFacets(
  f: Record<string, { value: string; label: string; count: number }[]>,
  profile: Profile,
) {
  return Object.fromEntries(
    Object.entries(f).map(([dim, list]) => [
      dim,
      list.map((x) => ({
        value: x.value,
        count: x.count,
        label: dim === 'shareType' ? shareTypeName(profile, x.value) : x.label,
      })),
    ]),
  ) as Record<
    'provider' | 'category' | 'shareType' | 'openType' | 'level' | 'status',
    { value: string; label: string; count: number }[]
  >;
}

export function presentVersion(v: VersionRow, current: number, published: number | null) {
  return {
    version: v.version,
    comment: v.comment,
    authorName: v.author_name,
    createdAt: v.created_at.toISOString(),
    published: v.version === published,
    current: v.version === current,
  };
}

export function presentCategoryTree(rows: CategoryRow[]) {
  const plain = (c: CategoryRow) => ({
    code: c.code,
    name: c.name,
    nameEn: c.name_en,
    parentCode: c.parent_code,
  });
  return rows
    .filter((c) => !c.parent_code)
    .map((top) => ({
      ...plain(top),
      children: rows.filter((c) => c.parent_code === top.code).map(plain),
    }));
}
