import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import type { PermissionCatalogue, Role } from '../api/types';
import { listOf, needsSecondApproval, permissionName, roleName } from './access';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

const unmasker: Role = {
  id: 9,
  key: 'unmasker',
  name: { 'zh-CN': '查看明文', 'en-US': 'Unmasker' },
  builtin: false,
  permissions: ['customer.read'],
  scopes: {},
  version: 1,
};

describe('roleName', () => {
  it('takes the name from the role list when the user may read it', () => {
    expect(roleName('unmasker', [unmasker], 'zh-CN', zh)).toBe('查看明文');
    expect(roleName('unmasker', [unmasker], 'en-US', en)).toBe('Unmasker');
  });
  it('names every built-in role without the role list', () => {
    expect(roleName('security_admin', undefined, 'zh-CN', zh)).toBe('安全管理员');
    expect(roleName('admin', undefined, 'zh-CN', zh)).toBe('系统管理员');
    expect(roleName('general_manager', undefined, 'en-US', en)).toBe('General manager');
  });
  it('shows a custom role it cannot name as its key', () => {
    expect(roleName('unmasker', undefined, 'zh-CN', zh)).toBe('unmasker');
    expect(roleName('common', [], 'zh-CN', zh)).toBe('common');
  });
});

describe('permissionName', () => {
  const catalogue: PermissionCatalogue = { items: [{ key: 'loan.read', description: { 'zh-CN': '查看贷款', 'en-US': 'View loans' } }] };
  it('takes the description from the catalogue when the user may read it', () => {
    expect(permissionName('loan.read', catalogue, 'zh-CN', zh)).toBe('查看贷款');
  });
  it('names the permissions that need a second administrator without the catalogue', () => {
    expect(permissionName('pii.unmask', undefined, 'zh-CN', zh)).toBe('查看未脱敏的个人信息');
    expect(permissionName('audit.read', undefined, 'zh-CN', zh)).toBe('查看审计日志');
    expect(permissionName('role.admin', undefined, 'en-US', en)).toBe('Manage roles and permissions');
    expect(permissionName('loan.read', undefined, 'zh-CN', zh)).toBe('loan.read');
  });
  it('knows which permissions wait for a second administrator', () => {
    expect(['pii.unmask', 'audit.read', 'role.admin', 'user.admin'].map(needsSecondApproval)).toEqual([true, true, true, false]);
  });
});

describe('listOf', () => {
  it('joins names the way each language does', () => {
    expect(listOf(['风控专员'], 'zh-CN')).toBe('风控专员');
    expect(listOf(['风控专员', '审计员', '安全管理员'], 'zh-CN')).toBe('风控专员、审计员和安全管理员');
    expect(listOf(['Risk officer', 'Auditor'], 'en-US')).toBe('Risk officer and Auditor');
  });
});
