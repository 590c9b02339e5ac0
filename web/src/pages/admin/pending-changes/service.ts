import type { TFunction } from 'i18next';
import { http } from '../../../api/request';
import type { Page, PendingChange, Principal } from '../../../api/types';
import type { ApprovalBlock, ChangeNames, PendingStatus } from './types';

export const PENDING_STATUSES: readonly PendingStatus[] = ['pending', 'approved', 'rejected', 'cancelled', 'expired'];

export const listPendingChanges = (status: PendingStatus, cursor?: string) =>
  http.get<Page<PendingChange>>('/api/v1/pending-changes', { status, limit: 50, cursor });
export const approveChange = (id: number) => http.post<PendingChange>(`/api/v1/pending-changes/${id}/approve`);
/** The requester's own rejection withdraws the request (status "cancelled"). */
export const rejectChange = (id: number) => http.post<PendingChange>(`/api/v1/pending-changes/${id}/reject`);

/** "刘客户经理（am.liu）", or the key alone when there is no other name. */
export function nameWithKey(name: string | undefined, key: string, t: TFunction): string {
  return name && name !== key ? t('common.nameWithKey', { name, key }) : key;
}

/** The change in words, e.g. "授予刘客户经理（am.liu）角色「风控专员（risk_officer）」". */
export function describeChange(change: PendingChange, names: ChangeNames, t: TFunction): string {
  const user = change.user ? names.user(change.user) : '';
  const role = change.role?.key ? names.role(change.role.key) : '';
  switch (change.kind) {
    case 'user_role':
      return t('pendingChanges.describe.userRole', { user, role });
    case 'role_permission':
      return t('pendingChanges.describe.rolePermission', { role, permission: names.permission(change.permission ?? '') });
    case 'password_reset':
      return t('pendingChanges.describe.passwordReset', { user });
  }
}

/** Why `me` may not confirm `change`, or null when they may (given role.admin). */
export function approvalBlock(change: PendingChange, me: Pick<Principal, 'id' | 'roles'>): ApprovalBlock | null {
  if (change.requested_by.id === me.id) return 'requester';
  if (change.user?.id === me.id) return 'concerned';
  if (change.kind === 'role_permission' && change.role?.key && me.roles.includes(change.role.key)) return 'roleHolder';
  return null;
}
