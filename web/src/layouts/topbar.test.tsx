import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { App } from 'antd';
import { AuthProvider } from '../auth/AuthContext';
import BasicLayout from './BasicLayout';

function json(body: object, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

const me = {
  csrf_token: 't',
  must_change_password: false,
  expires_at: '2999-01-01T00:00:00Z',
  time_zone: '+08:00',
  user: { id: 7, username: 'am1', display_name: '张客户经理', language: 'zh-CN', department: {}, roles: [], permissions: ['customer.read'], scopes: {} },
};

function signedIn(counts: object, mustChangePassword = false) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${url}`);
    if (url.startsWith('/api/v1/auth/me')) return json({ ...me, must_change_password: mustChangePassword });
    if (url.startsWith('/api/v1/todos/counts')) return json(counts);
    if (url.startsWith('/api/v1/business-date')) return json({ date: '2026-12-03', calendar_key: 'cn', is_working_day: true, next_working_day: '2026-12-04' });
    if (url.startsWith('/api/v1/notifications/read-all')) return json({ marked: 2 });
    if (url.startsWith('/api/v1/notifications')) {
      return json({
        items: [
          { id: 3, title: '陈经理 给您安排了一项待办', body: '补充收入证明', link: { entity_type: 'todo', entity_id: '88' }, created_at: '2026-12-03T02:00:00Z', read_at: null },
          { id: 2, title: '新待办：回访张三', body: '', link: { entity_type: 'customer', entity_id: '201', label: '张三' }, created_at: '2026-12-03T01:00:00Z', read_at: null },
          { id: 1, title: '审批已通过', body: '申请 A-1', link: null, created_at: '2026-12-02T01:00:00Z', read_at: '2026-12-02T02:00:00Z' },
        ],
      });
    }
    return json({});
  });
  render(
    <App>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={['/workbench']}>
          <AuthProvider>
            <Routes>
              <Route element={<BasicLayout />}>
                <Route path="/workbench" element={<div>工作台内容</div>} />
                <Route path="/todos" element={<div>待办页面</div>} />
                <Route path="/customers/:id" element={<div>客户页面</div>} />
              </Route>
            </Routes>
          </AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </App>,
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('the top bar', { timeout: 20_000 }, () => {
  it('shows the business date, the open to-dos and the unread notifications, the to-dos opening 我的待办', async () => {
    signedIn({ open: 5, overdue: 2, unread_notifications: 3 });
    expect((await screen.findByTestId('topbar-business-date')).textContent).toBe('营业日 2026-12-03');
    await waitFor(() => expect(screen.getByTestId('todo-badge').getAttribute('aria-label')).toBe('待办：5 项未完成，2 项逾期'));
    expect(screen.getByTestId('todo-badge').textContent).toContain('5');
    expect(screen.getByTestId('notification-bell').textContent).toContain('3');
    fireEvent.click(screen.getByTestId('todo-badge'));
    await screen.findByText('待办页面');
  });

  it('lists the latest notifications, marks them all read, and opens a linked customer', async () => {
    const calls = signedIn({ open: 0, overdue: 0, unread_notifications: 1 });
    await waitFor(() => expect(screen.getByTestId('notification-bell').textContent).toContain('1'));
    fireEvent.click(screen.getByTestId('notification-bell'));
    await screen.findByText('审批已通过');
    expect(calls).toContain('GET /api/v1/notifications?limit=10');
    fireEvent.click(screen.getByRole('button', { name: '全部已读' }));
    await waitFor(() => expect(calls).toContain('POST /api/v1/notifications/read-all'));
    fireEvent.click(screen.getByText('新待办：回访张三'));
    await screen.findByText('客户页面');
    expect(calls).toContain('POST /api/v1/notifications/2/read');
  });

  it('asks for nothing while a password change is due, which the server would refuse', async () => {
    const calls = signedIn({ open: 1, overdue: 0, unread_notifications: 1 }, true);
    await screen.findByText('工作台内容');
    await new Promise((r) => setTimeout(r, 100));
    expect(calls.filter((c) => !c.startsWith('GET /api/v1/auth/me'))).toEqual([]);
    expect(screen.queryByTestId('todo-badge')).toBeNull();
    expect(screen.queryByTestId('notification-bell')).toBeNull();
  });

  it('opens 我的待办 from a notification about a to-do', async () => {
    const calls = signedIn({ open: 1, overdue: 0, unread_notifications: 1 });
    fireEvent.click(await screen.findByTestId('notification-bell'));
    fireEvent.click(await screen.findByText('陈经理 给您安排了一项待办'));
    await screen.findByText('待办页面');
    expect(calls).toContain('POST /api/v1/notifications/3/read');
  });
});
