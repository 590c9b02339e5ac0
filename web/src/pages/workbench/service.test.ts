import { describe, expect, it } from 'vitest';
import { engineSections, quickActions } from './service';

const holder = (...perms: string[]) => {
  const held = new Set(perms);
  return (p: string) => held.has(p);
};

describe('quickActions', () => {
  it('offers an account manager a new customer and the customer list', () => {
    expect(quickActions(holder('customer.read', 'customer.write', 'followup.write', 'report.read')).map((a) => a.path)).toEqual([
      '/customers/new',
      '/customers',
    ]);
  });
  it('offers the auditor the customers and the audit log', () => {
    expect(quickActions(holder('customer.read', 'audit.read')).map((a) => a.path)).toEqual(['/customers', '/admin/audit']);
  });
  it('offers a security administrator only the pages of their duties', () => {
    expect(quickActions(holder('user.read', 'role.admin')).map((a) => a.path)).toEqual(['/admin/users', '/admin/roles', '/admin/pending-changes']);
  });
});

describe('engineSections', () => {
  it('shows everyone the to-dos, approvers the approvals and report readers the dashboard', () => {
    expect(engineSections(holder('user.read', 'role.admin'))).toEqual(['todo']);
    expect(engineSections(holder('application.approve', 'report.read'))).toEqual(['todo', 'approvals', 'dashboard']);
  });
});
