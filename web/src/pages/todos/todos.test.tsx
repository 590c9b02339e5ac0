import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { App } from 'antd';
import { AuthProvider } from '../../auth/AuthContext';
import TodosPage from './index';
import type { Todo } from './types';

function json(body: object, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

const me = {
  csrf_token: 't',
  must_change_password: false,
  expires_at: '2999-01-01T00:00:00Z',
  time_zone: '+08:00',
  user: { id: 7, username: 'am1', display_name: '张客户经理', language: 'zh-CN', department: {}, roles: [], permissions: [], scopes: {} },
};

function todo(extra: Partial<Todo>): Todo {
  return {
    id: 1,
    title: '回访',
    assignee_id: 7,
    assignee_name: '张客户经理',
    due_at: null,
    link: null,
    source: 'manual',
    status: 'open',
    completion_note: '',
    created_at: '2026-12-01T01:00:00Z',
    closed_at: null,
    overdue: false,
    overdue_seconds: null,
    ...extra,
  };
}

const late = todo({
  id: 11,
  title: '回访张三',
  due_at: '2026-12-01T02:00:00Z',
  overdue: true,
  overdue_seconds: 2 * 86_400 + 100,
  link: { entity_type: 'customer', entity_id: '201', label: '张三' },
  source: 'rule',
});
const calm = todo({ id: 12, title: '整理材料', due_at: '2026-12-09T02:00:00Z' });

interface Call {
  url: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
}

function server(pages: Record<string, object>) {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ url, method, body: init?.body as string | undefined, headers: (init?.headers ?? {}) as Record<string, string> });
    if (url.startsWith('/api/v1/auth/me')) return json(me);
    if (method === 'POST' && url.endsWith('/complete')) return json(todo({ id: 11, status: 'done' }));
    if (method === 'POST' && url === '/api/v1/todos') return json(todo({ id: 13 }), 201);
    for (const [prefix, body] of Object.entries(pages)) if (url.startsWith(prefix)) return json(body);
    return json({ items: [] });
  });
  return calls;
}

function renderPage() {
  render(
    <App>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={['/todos']}>
          <AuthProvider>
            <TodosPage />
          </AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </App>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// antd's dialogs and tables render slowly under jsdom, more so when the whole suite runs at once.
describe('TodosPage', { timeout: 20_000 }, () => {
  it('lists the open to-dos, the late ones in red with how late, linked customers opening their page', async () => {
    server({ '/api/v1/todos?status=open': { items: [late, calm], next_cursor: 'n1' }, '/api/v1/todos?status=open&limit=50&cursor=n1': { items: [] } });
    renderPage();
    await screen.findByText('回访张三');
    expect(screen.getByTestId('overdue-11').textContent).toBe('逾期 2 天');
    expect(screen.queryByTestId('overdue-12')).toBeNull();
    const lateRow = screen.getByRole('link', { name: '回访张三' }).closest('tr');
    expect(lateRow?.className).toContain('todo-overdue');
    expect(screen.getByText('整理材料').closest('tr')?.className).not.toContain('todo-overdue');
    expect(screen.getByRole('link', { name: '回访张三' }).getAttribute('href')).toBe('/customers/201');
    expect(within(lateRow as HTMLElement).getByText('张三')).toBeTruthy();
    expect(screen.queryByRole('link', { name: '整理材料' })).toBeNull();
    expect(within(lateRow as HTMLElement).getByText('规则')).toBeTruthy();
    expect(screen.getByRole('button', { name: '加载更多' })).toBeTruthy();
  });

  it('completes a to-do with the note typed in the dialog', async () => {
    const calls = server({ '/api/v1/todos?status=open': { items: [late] } });
    renderPage();
    await screen.findByText('回访张三');
    fireEvent.click(screen.getByRole('button', { name: /^完\s*成$/ }));
    fireEvent.change(await screen.findByLabelText('完成说明'), { target: { value: ' 已电话回访 ' } });
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: /^完\s*成$/ }));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/v1/todos/11/complete')).toBe(true));
    expect(calls.find((c) => c.url === '/api/v1/todos/11/complete')?.body).toBe(JSON.stringify({ note: '已电话回访' }));
  });

  it('refuses a new to-do without a title and sends one with an idempotency key', async () => {
    const calls = server({ '/api/v1/todos?status=open': { items: [] } });
    renderPage();
    fireEvent.click(await screen.findByRole('button', { name: /新建待办/ }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await within(dialog).findByText('请填写待办事项');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.change(within(dialog).getByLabelText('待办事项'), { target: { value: '准备授信材料' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/todos')).toBe(true));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toBe(JSON.stringify({ title: '准备授信材料' }));
    expect(post?.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('shows the done to-dos with their note and no actions', async () => {
    server({
      '/api/v1/todos?status=open': { items: [] },
      '/api/v1/todos?status=done': { items: [todo({ id: 20, title: '已回访', status: 'done', completion_note: '客户同意面谈', closed_at: '2026-12-02T03:00:00Z' })] },
    });
    renderPage();
    fireEvent.click(await screen.findByRole('tab', { name: '已完成' }));
    await screen.findByText('已回访');
    expect(screen.getByText('完成说明：客户同意面谈')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^完\s*成$/ })).toBeNull();
  });
});
