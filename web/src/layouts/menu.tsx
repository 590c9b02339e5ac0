import type { ReactNode } from 'react';
import {
  ApartmentOutlined,
  CalendarOutlined,
  AuditOutlined,
  CheckSquareOutlined,
  ClockCircleOutlined,
  CloudServerOutlined,
  FileProtectOutlined,
  FormOutlined,
  HomeOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';

/** A work area in the left menu. Later modules (loans, flows, rules, reports) add their own. */
export interface MenuGroup {
  key: string;
  labelKey: string;
  items: MenuEntry[];
}

export interface MenuEntry {
  path: string;
  labelKey: string;
  icon: ReactNode;
  /** The permission the entry needs; none for what every signed-in user has (the workbench). */
  permission?: string;
}

export const MENU: MenuGroup[] = [
  // Where every role lands after signing in.
  {
    key: 'workbench',
    labelKey: 'menu.home',
    items: [
      { path: '/workbench', labelKey: 'menu.workbench', icon: <HomeOutlined /> },
      { path: '/todos', labelKey: 'menu.todos', icon: <CheckSquareOutlined /> },
    ],
  },
  {
    key: 'customers',
    labelKey: 'menu.customerManagement',
    items: [{ path: '/customers', labelKey: 'menu.customers', icon: <TeamOutlined />, permission: 'customer.read' }],
  },
  {
    key: 'admin',
    labelKey: 'menu.system',
    items: [
      { path: '/admin/users', labelKey: 'menu.users', icon: <UserOutlined />, permission: 'user.read' },
      { path: '/admin/departments', labelKey: 'menu.departments', icon: <ApartmentOutlined />, permission: 'department.admin' },
      { path: '/admin/roles', labelKey: 'menu.roles', icon: <SafetyCertificateOutlined />, permission: 'role.admin' },
      { path: '/admin/pending-changes', labelKey: 'menu.pendingChanges', icon: <FileProtectOutlined />, permission: 'user.read' },
      { path: '/admin/fields', labelKey: 'menu.fields', icon: <FormOutlined />, permission: 'entity.admin' },
      { path: '/admin/audit', labelKey: 'menu.audit', icon: <AuditOutlined />, permission: 'audit.read' },
      { path: '/admin/calendar', labelKey: 'menu.calendar', icon: <CalendarOutlined />, permission: 'calendar.admin' },
    ],
  },
  {
    key: 'operations',
    labelKey: 'menu.operations',
    items: [
      { path: '/operations/outbox', labelKey: 'menu.outbox', icon: <CloudServerOutlined />, permission: 'operations.admin' },
      { path: '/operations/jobs', labelKey: 'menu.jobs', icon: <ClockCircleOutlined />, permission: 'operations.admin' },
    ],
  },
];

/** The groups and entries a user with these permissions may see. */
export function visibleMenu(can: (permission: string) => boolean, menu: MenuGroup[] = MENU): MenuGroup[] {
  return menu
    .map((g) => ({ ...g, items: g.items.filter((i) => i.permission === undefined || can(i.permission)) }))
    .filter((g) => g.items.length > 0);
}
