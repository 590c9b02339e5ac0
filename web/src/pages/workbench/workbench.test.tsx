import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { AuthProvider } from '../../auth/AuthContext';
import { recordCustomerView } from '../../services/recent';
import type { Todo } from '../todos/types';
import WorkbenchPage from './index';

function json(body: object) {
  return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

const todo: Todo = {
  id: 0,
  title: '',
  assignee_id: 7,
  assignee_name: '张客户经理',
  due_at: null,
  link: null,
  source: 'manual',
  status: 'open',
  completion_note: '',
  created_at: '2026-11-30T02:00:00Z',
  closed_at: null,
  overdue: false,
  overdue_seconds: null,
};

function signedInAs(id: number, displayName: string, permissions: string[]) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', (url: string) => {
    calls.push(url);
    if (url.startsWith('/api/v1/auth/me')) {
      return json({
        csrf_token: 't',
        must_change_password: false,
        expires_at: '2999-01-01T00:00:00Z',
        time_zone: '+08:00',
        user: { id, username: `u${id}`, display_name: displayName, language: 'zh-CN', department: {}, roles: [], permissions, scopes: {} },
      });
    }
    if (url.startsWith('/api/v1/todos?')) {
      return json({
        items: [
          { ...todo, id: 11, title: '回访张三', due_at: '2026-12-01T02:00:00Z', overdue: true, overdue_seconds: 2 * 86_400 + 60, link: { entity_type: 'customer', entity_id: '201', label: '张三' } },
          { ...todo, id: 12, title: '整理材料' },
        ],
        next_cursor: null,
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
  return calls;
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
    await screen.findByText('营业日 2026-12-03');
    await waitFor(() => expect(screen.getByTestId('workbench-my_customers').textContent).toContain('12'));
    expect(screen.getByTestId('workbench-followups_overdue').textContent).toContain('1');
    expect(screen.getByRole('link', { name: '张三' }).getAttribute('href')).toBe('/customers/201');
    expect(screen.getByRole('button', { name: /新建客户/ })).toBeTruthy();
    expect(screen.getByRole('button', { name: /客户列表/ })).toBeTruthy();
    expect(screen.getByTestId('section-dashboard')).toBeTruthy();
    expect(screen.queryByTestId('section-approvals')).toBeNull();
  });

  it('lists the open to-dos soonest first, a late one in red with how late, a customer’s opening the customer', async () => {
    const calls = signedInAs(7, '张客户经理', ['customer.read']);
    const section = await screen.findByTestId('section-todo');
    const late = await within(section).findByRole('link', { name: '回访张三' });
    expect(late.getAttribute('href')).toBe('/customers/201');
    const lateItem = late.closest('.ant-list-item') as HTMLElement;
    expect(lateItem.dataset.overdue).toBe('true');
    expect(lateItem.textContent).toContain('2026-12-01 10:00 · 逾期 2 天');
    expect(within(section).getByText('整理材料').closest('.ant-list-item')?.textContent).toContain('无截止时间');
    expect(within(section).getByRole('link', { name: '全部待办' }).getAttribute('href')).toBe('/todos');
    expect(calls).toContain('/api/v1/todos?status=open&limit=5');
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
