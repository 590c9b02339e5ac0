import { describe, expect, it } from 'vitest';
import i18n from '../../../i18n';
import type { PendingChange } from '../../../api/types';
import { approvalBlock, describeChange, nameWithKey } from './service';
import type { ChangeNames } from './types';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

function change(extra: Partial<PendingChange>): PendingChange {
  return {
    id: 1,
    kind: 'user_role',
    status: 'pending',
    requested_by: { id: 1, display_name: '系统管理员' },
    requested_at: '2026-12-03T02:00:00Z',
    expires_at: '2026-12-06T02:00:00Z',
    ...extra,
  };
}

// The server sends null for what a change is not about; the generated type says "absent".
const none = null as unknown as undefined;

const grant = change({ user: { id: 10, username: 'am.liu' }, role: { id: 2, key: 'risk_officer' }, permission: null });
const addPermission = change({ kind: 'role_permission', user: none, role: { id: 9, key: 'unmasker' }, permission: 'pii.unmask' });
const reset = change({ kind: 'password_reset', user: { id: 5, username: 'risk.li' }, role: none });

const names: ChangeNames = {
  user: (u) => nameWithKey(u.id === 10 ? '刘客户经理' : u.id === 5 ? '李风控' : undefined, u.username ?? '', zh),
  role: (key) => nameWithKey(key === 'risk_officer' ? '风控专员' : undefined, key, zh),
  permission: (key) => nameWithKey(key === 'pii.unmask' ? '查看未脱敏的个人信息' : undefined, key, zh),
};

describe('describeChange', () => {
  it('says in Chinese what each kind of change does', () => {
    expect(describeChange(grant, names, zh)).toBe('授予刘客户经理（am.liu）角色「风控专员（risk_officer）」');
    expect(describeChange(addPermission, names, zh)).toBe('为角色「unmasker」增加权限「查看未脱敏的个人信息（pii.unmask）」');
    expect(describeChange(reset, names, zh)).toBe('重置李风控（risk.li）的密码');
  });
  it('says it in English', () => {
    const english: ChangeNames = {
      user: (u) => nameWithKey('Liu', u.username ?? '', en),
      role: (key) => nameWithKey('Risk officer', key, en),
      permission: (key) => key,
    };
    expect(describeChange(grant, english, en)).toBe('Grant the role “Risk officer (risk_officer)” to Liu (am.liu)');
    expect(describeChange(reset, english, en)).toBe('Reset the password of Liu (risk.li)');
  });
});

describe('approvalBlock', () => {
  const security = { id: 2, roles: ['security_admin'] };
  it('lets another security administrator confirm', () => {
    expect(approvalBlock(grant, security)).toBeNull();
    expect(approvalBlock(addPermission, security)).toBeNull();
  });
  it('refuses the requester and the user the change is about', () => {
    expect(approvalBlock(grant, { id: 1, roles: ['admin'] })).toBe('requester');
    expect(approvalBlock(reset, { id: 5, roles: ['security_admin'] })).toBe('concerned');
  });
  it('refuses a holder of the role whose permissions change', () => {
    expect(approvalBlock(addPermission, { id: 3, roles: ['unmasker', 'security_admin'] })).toBe('roleHolder');
    // Holding the role given to someone else is no bar.
    expect(approvalBlock(grant, { id: 3, roles: ['risk_officer', 'security_admin'] })).toBeNull();
  });
});
