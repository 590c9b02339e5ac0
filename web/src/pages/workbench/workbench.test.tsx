import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { AuthProvider } from '../../auth/AuthContext';
import { recordCustomerView } from '../../services/recent';
import WorkbenchPage from './index';

function json(body: object) {
  return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

function signedInAs(id: number, displayName: string, permissions: string[]) {
  vi.stubGlobal('fetch', (url: string) => {
    if (url.startsWith('/api/v1/auth/me')) {
      return json({
        csrf_token: 't',
        must_change_password: false,
        expires_at: '2999-01-01T00:00:00Z',
        time_zone: '+08:00',
        user: { id, username: `u${id}`, display_name: displayName, language: 'zh-CN', department: {}, roles: [], permissions, scopes: {} },
      });
    }
    if (url.startsWith('/api/v1/workbench')) {
      return json({ my_customers: 12, followups_due_today: 3, followups_overdue: 1, new_customers_this_month: 4, business_date: '2026-12-03' });
    }
    return Promise.resolve(new Response('{}', { status: 404 }));
  });
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <AuthProvider>
          <WorkbenchPage />
        </AuthProvider>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('WorkbenchPage', () => {
  it("shows an account manager their counts, their last customers and what they may start", async () => {
    recordCustomerView(7, { id: 201, name: '张三', type: 'individual' });
    signedInAs(7, '张客户经理', ['customer.read', 'customer.write', 'report.read']);
    await screen.findByText('你好，张客户经理');
    await screen.findByText('业务日期 2026-12-03');
    await waitFor(() => expect(screen.getByTestId('workbench-my_customers').textContent).toContain('12'));
    expect(screen.getByTestId('workbench-followups_overdue').textContent).toContain('1');
    expect(screen.getByRole('link', { name: '张三' }).getAttribute('href')).toBe('/customers/201');
    expect(screen.getByRole('button', { name: /新建客户/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /客户列表/ })).toBeTruthy();
    expect(screen.getByTestId('section-todo').textContent).toContain('流程引擎');
    expect(screen.getByTestId('section-dashboard')).toBeTruthy();
    expect(screen.queryByTestId('section-approvals')).toBeNull();
  });

  it('shows a security administrator no customer figures, only what applies', async () => {
    signedInAs(3, '周安全', ['user.read', 'role.admin']);
    await screen.findByText('你好，周安全');
    expect(screen.queryByTestId('workbench-my_customers')).toBeNull();
    expect(screen.queryByTestId('recent-customers')).toBeNull();
    expect(screen.queryByRole('button', { name: /新建客户/ })).toBeNull();
    expect(screen.getByRole('button', { name: /角色/ })).toBeTruthy();
    expect(screen.getByTestId('section-todo')).toBeTruthy();
    expect(screen.queryByTestId('section-dashboard')).toBeNull();
  });
});
