import { createElement } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { http } from '../../api/request';
import type { Workbench } from '../../api/types';
import { visibleMenu, type MenuEntry } from '../../layouts/menu';

export const fetchWorkbench = () => http.get<Workbench>('/api/v1/workbench');

/** What the user may start from the workbench: a new customer first, then the pages of their menu beyond 首页. */
export function quickActions(can: (permission: string) => boolean): MenuEntry[] {
  const create: MenuEntry[] = can('customer.write')
    ? [{ path: '/customers/new', labelKey: 'customers.new', icon: createElement(PlusOutlined), permission: 'customer.write' }]
    : [];
  const pages = visibleMenu(can)
    .filter((g) => g.key !== 'workbench')
    .flatMap((g) => g.items);
  return [...create, ...pages];
}

/**
 * The sections that arrive with the engines, each shown to whom it concerns: 待办 to everyone
 * (the user's open to-dos), 审批 to approvers, 仪表盘 to readers of reports. Until their engines
 * come, the last two are empty by design.
 */
export type EngineSection = 'todo' | 'approvals' | 'dashboard';

export function engineSections(can: (permission: string) => boolean): EngineSection[] {
  const sections: EngineSection[] = ['todo'];
  if (can('application.approve')) sections.push('approvals');
  if (can('report.read')) sections.push('dashboard');
  return sections;
}
