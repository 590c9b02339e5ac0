import { describe, expect, it } from 'vitest';
import { visibleMenu } from './menu';

describe('visibleMenu', () => {
  it('shows an account manager no administration', () => {
    const perms = new Set(['customer.read', 'customer.write', 'followup.write']);
    const groups = visibleMenu((p) => perms.has(p));
    expect(groups.map((g) => g.key)).toEqual(['customers']);
  });
  it('shows an administrator the administration entries they hold', () => {
    const perms = new Set(['customer.read', 'user.admin', 'audit.read']);
    const groups = visibleMenu((p) => perms.has(p));
    expect(groups.find((g) => g.key === 'admin')?.items.map((i) => i.path)).toEqual(['/admin/users', '/admin/audit']);
  });
});
