import { describe, expect, it } from 'vitest';
import { visibleMenu } from './menu';

function adminPaths(...perms: string[]): string[] | undefined {
  const held = new Set(perms);
  return visibleMenu((p) => held.has(p)).find((g) => g.key === 'admin')?.items.map((i) => i.path);
}

describe('visibleMenu', () => {
  it('shows an account manager no administration', () => {
    const perms = new Set(['customer.read', 'customer.write', 'followup.write']);
    const groups = visibleMenu((p) => perms.has(p));
    expect(groups.map((g) => g.key)).toEqual(['workbench', 'customers']);
  });
  it('puts the workbench and the to-dos first for every role, even one without permissions', () => {
    expect(visibleMenu(() => false).map((g) => g.items.map((i) => i.path))).toEqual([['/workbench', '/todos']]);
    const security = new Set(['user.read', 'role.admin']);
    expect(visibleMenu((p) => security.has(p))[0]?.items[0]?.path).toBe('/workbench');
  });
  it('shows each of the three administrators only their own duties', () => {
    expect(adminPaths('customer.read', 'user.read', 'user.admin', 'department.admin', 'entity.admin')).toEqual([
      '/admin/users',
      '/admin/departments',
      '/admin/pending-changes',
      '/admin/fields',
    ]);
    expect(adminPaths('user.read', 'role.admin')).toEqual(['/admin/users', '/admin/roles', '/admin/pending-changes']);
    expect(adminPaths('customer.read', 'audit.read')).toEqual(['/admin/audit']);
    expect(adminPaths('calendar.admin')).toEqual(['/admin/calendar']);
  });
  it('shows the operations pages only to a holder of operations.admin', () => {
    const paths = (...perms: string[]) => visibleMenu((p) => perms.includes(p)).find((g) => g.key === 'operations')?.items.map((i) => i.path);
    expect(paths('operations.admin')).toEqual(['/operations/outbox', '/operations/jobs']);
    expect(paths('user.read', 'role.admin', 'audit.read')).toBeUndefined();
  });
});
