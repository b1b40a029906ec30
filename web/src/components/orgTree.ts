import type { Organisation } from '../api/types';

export interface OrgNode extends Organisation {
  children?: OrgNode[];
}

/** The flat list from GET /orgs as a tree (by parentId), siblings by name; orphans become roots. */
export function buildOrgTree(orgs: Organisation[]): OrgNode[] {
  const byId = new Map<string, OrgNode>(orgs.map((o) => [o.id, { ...o }]));
  const roots: OrgNode[] = [];
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) {
      parent.children ??= [];
      parent.children.push(node);
    } else roots.push(node);
  }
  const sort = (list: OrgNode[]) => {
    list.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    for (const n of list) if (n.children) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** Ids of `id` and everything below it (a node cannot move under its own descendant). */
export function subtreeIds(orgs: Organisation[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of orgs)
      if (o.parentId && out.has(o.parentId) && !out.has(o.id)) {
        out.add(o.id);
        grew = true;
      }
  }
  return out;
}
