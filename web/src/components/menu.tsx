/**
 * The side menu as data: one line per entry. A module adds its line when its pages exist —
 * 资源目录, 数据登记, 数据归集, 质量, 共享, 异议, 开放, 授权运营, 考核 have no line yet, so they
 * are absent rather than dead links. `permission` hides an entry (and guards its route);
 * a group with no visible child disappears.
 */
import type { ComponentType } from 'react';
import { ClockCircleOutlined, CloudUploadOutlined, DatabaseOutlined } from '@ant-design/icons';
import {
  BookOutlined,
  ContainerOutlined,
  CopyOutlined,
  FormOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import {
  ApiOutlined,
  ApartmentOutlined,
  AuditOutlined,
  CheckSquareOutlined,
  FileAddOutlined,
  HomeOutlined,
  NodeIndexOutlined,
  ProfileOutlined,
  SettingOutlined,
  ShareAltOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { Permission } from '../api/types';

export interface MenuEntry {
  key: string;
  /** i18n key of the label. */
  label: string;
  path?: string;
  icon?: ComponentType;
  /** Shown when the user holds any of these permissions; absent = every signed-in user. */
  permission?: Permission[];
  children?: MenuEntry[];
}

const MENU: MenuEntry[] = [
  { key: 'home', label: 'menu.home', path: '/', icon: HomeOutlined },
  {
    key: 'catalog',
    label: 'catalog.menu.root',
    icon: BookOutlined,
    children: [
      {
        key: 'catalog.browse',
        label: 'catalog.menu.browse',
        path: '/catalog',
        icon: SearchOutlined,
      },
      {
        key: 'catalog.review',
        label: 'catalog.menu.review',
        path: '/catalog/review',
        icon: CheckSquareOutlined,
        permission: ['catalog.review', 'catalog.publish'],
      },
      {
        key: 'catalog.dedupe',
        label: 'catalog.menu.dedupe',
        path: '/catalog/dedupe',
        icon: CopyOutlined,
      },
    ],
  },
  {
    key: 'registry',
    label: 'catalog.menu.registry',
    icon: ContainerOutlined,
    children: [
      {
        key: 'registry.systems',
        label: 'catalog.menu.systems',
        path: '/registry/systems',
        icon: DatabaseOutlined,
      },
      {
        key: 'registry.datasets',
        label: 'catalog.menu.datasets',
        path: '/registry/datasets',
        icon: ProfileOutlined,
      },
      {
        key: 'registry.functions',
        label: 'catalog.menu.functions',
        path: '/registry/functions',
        icon: FormOutlined,
        permission: ['registry.write', 'catalog.review'],
      },
    ],
  },
  {
    key: 'sharing',
    label: 'sharing.menu.root',
    icon: ShareAltOutlined,
    children: [
      {
        key: 'sharing.new',
        label: 'sharing.menu.new',
        path: '/sharing/new',
        icon: FileAddOutlined,
        permission: ['share.request'],
      },
      {
        key: 'sharing.mine',
        label: 'sharing.menu.mine',
        path: '/sharing/requests',
        icon: ProfileOutlined,
        permission: ['share.request'],
      },
      {
        key: 'sharing.review',
        label: 'sharing.menu.review',
        path: '/sharing/review',
        icon: CheckSquareOutlined,
        permission: ['share.review'],
      },
      {
        key: 'sharing.channels',
        label: 'sharing.menu.channels',
        path: '/sharing/channels',
        icon: NodeIndexOutlined,
        permission: ['share.view'],
      },
      {
        key: 'sharing.overScope',
        label: 'sharing.menu.overScope',
        path: '/sharing/over-scope',
        icon: WarningOutlined,
        permission: ['share.oversight'],
      },
    ],
  },
  {
    key: 'pool',
    label: 'pool.menu.root',
    icon: CloudUploadOutlined,
    children: [
      {
        key: 'pool.resources',
        label: 'pool.menu.resources',
        path: '/pool',
        icon: DatabaseOutlined,
        permission: ['pool.inspect'],
      },
      {
        key: 'quality.overdue',
        label: 'pool.menu.overdue',
        path: '/quality/overdue',
        icon: ClockCircleOutlined,
        permission: ['pool.inspect'],
      },
    ],
  },
  {
    key: 'audit',
    label: 'menu.audit',
    path: '/audit',
    icon: AuditOutlined,
    permission: ['audit.read'],
  },
  {
    key: 'admin',
    label: 'menu.admin',
    icon: SettingOutlined,
    children: [
      {
        key: 'admin.orgs',
        label: 'menu.orgs',
        path: '/admin/orgs',
        icon: ApartmentOutlined,
        permission: ['orgs.manage'],
      },
      {
        key: 'admin.users',
        label: 'menu.users',
        path: '/admin/users',
        icon: TeamOutlined,
        permission: ['users.manage'],
      },
      {
        key: 'admin.clients',
        label: 'menu.clients',
        path: '/admin/clients',
        icon: ApiOutlined,
        permission: ['clients.manage'],
      },
    ],
  },
];

const allowed = (e: MenuEntry, perms: readonly Permission[]) =>
  !e.permission || e.permission.some((p) => perms.includes(p));

/** The entries this user may see. */
export function visibleMenu(
  perms: readonly Permission[],
  entries: MenuEntry[] = MENU,
): MenuEntry[] {
  return entries.flatMap((e) => {
    if (!allowed(e, perms)) return [];
    if (!e.children) return [e];
    const children = visibleMenu(perms, e.children);
    return children.length ? [{ ...e, children }] : [];
  });
}

/** The menu entry a location belongs to (longest matching path), for highlighting and guarding. */
export function entryFor(pathname: string, entries: MenuEntry[] = MENU): MenuEntry | undefined {
  let best: MenuEntry | undefined;
  const walk = (list: MenuEntry[]) => {
    for (const e of list) {
      if (
        e.path &&
        (pathname === e.path || (e.path !== '/' && pathname.startsWith(`${e.path}/`)))
      ) {
        if (!best || (best.path?.length ?? 0) < e.path.length) best = e;
      }
      if (e.children) walk(e.children);
    }
  };
  walk(entries);
  return best;
}

/**
 * The groups to open so that the entry of a location shows (the menu opens where the user lands).
 */
export function openKeysFor(pathname: string, entries: MenuEntry[] = MENU): string[] {
  const target = entryFor(pathname, entries);
  return target
    ? entries.filter((g) => g.children?.some((c) => c.key === target.key)).map((g) => g.key)
    : [];
}

/** Whether the user may open a location: its menu entry's permission decides. */
export function mayOpen(pathname: string, perms: readonly Permission[]): boolean {
  const e = entryFor(pathname);
  return !e || allowed(e, perms);
}
