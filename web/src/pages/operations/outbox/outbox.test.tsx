import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { App } from 'antd';
import { AuthProvider } from '../../../auth/AuthContext';
import OutboxPage from './index';
import type { Delivery } from './types';

function json(body: object, status = 200) {
  return Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }));
}

const dead: Delivery = {
  id: 41,
  event_seq: 1200,
  event_type: 'todo.created',
  stream_type: 'todo',
  stream_id: '88',
  consumer: 'notify.sms',
  idem_key: 'notify.sms:1200',
  status: 'dead',
  attempts: 8,
  last_error: 'SMS gateway answered 503',
  created_at: '2026-12-03T01:00:00Z',
  due_at: '2026-12-03T05:00:00Z',
  finished_at: null,
};

interface Call {
  method: string;
  url: string;
  body?: string;
}

function server() {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, body: init?.body as string | undefined });
    if (url.startsWith('/api/v1/auth/me')) {
      return json({
        csrf_token: 't',
        must_change_password: false,
        expires_at: '2999-01-01T00:00:00Z',
        time_zone: '+08:00',
        user: { id: 1, username: 'ops', display_name: '运维', language: 'zh-CN', department: {}, roles: [], permissions: ['operations.admin'], scopes: {} },
      });
    }
    if (url.endsWith('/discard')) {
      const reason = (JSON.parse(init?.body as string) as { reason: string }).reason;
      if (reason === '测试') {
        return json({ status: 422, code: 'invalid_argument', field_violations: [{ field: 'reason', code: 'bad', message: '原因不可用' }] }, 422);
      }
      return json({ ...dead, status: 'discarded' });
    }
    if (url === '/api/v1/outbox/41') {
      return json({
        ...dead,
        event: { seq: 1200, type: 'todo.created', stream_type: 'todo', stream_id: '88', payload: { todo_id: 88, recipient_user_id: 7 }, actor: 'system', occurred_at: '2026-12-03T01:00:00Z', correlation_id: 'c-1', causation_seq: null },
      });
    }
    if (url.startsWith('/api/v1/outbox?')) return json({ items: [dead], next_cursor: null });
    return json({});
  });
  render(
    <App>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <AuthProvider>
            <OutboxPage />
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

describe('OutboxPage', { timeout: 30_000 }, () => {
  it('lists the dead deliveries by default and shows one with its event payload indented', async () => {
    const calls = server();
    await screen.findByText('SMS gateway answered 503');
    expect(calls.some((c) => c.url === '/api/v1/outbox?status=dead&limit=50')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '#41' }));
    const payload = await screen.findByTestId('event-payload');
    expect(payload.textContent).toBe('{\n  "todo_id": 88,\n  "recipient_user_id": 7\n}');
    expect(screen.getByTestId('delivery-drawer').textContent).toContain('notify.sms:1200');
  });

  it('discards with a reason, refusing one too short and showing the server’s word under the field', async () => {
    const calls = server();
    await screen.findByText('SMS gateway answered 503');
    fireEvent.click(screen.getByRole('button', { name: /丢\s*弃/ }));
    const dialog = await screen.findByRole('dialog');
    const reason = within(dialog).getByLabelText('丢弃原因');
    fireEvent.change(reason, { target: { value: '是' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /丢\s*弃/ }));
    await within(dialog).findByText('原因至少 2 个字符', undefined, { timeout: 5000 });
    fireEvent.change(reason, { target: { value: '测试' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /丢\s*弃/ }));
    await within(dialog).findByText('原因不可用', undefined, { timeout: 5000 });
    fireEvent.change(reason, { target: { value: ' 短信通道已下线 ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /丢\s*弃/ }));
    await waitFor(() => expect(calls.filter((c) => c.url.endsWith('/discard'))).toHaveLength(2));
    expect(calls.filter((c) => c.url.endsWith('/discard'))[1]?.body).toBe(JSON.stringify({ reason: '短信通道已下线' }));
  });

  it('retries after confirming', async () => {
    const calls = server();
    await screen.findByText('SMS gateway answered 503');
    fireEvent.click(screen.getByRole('button', { name: /重\s*试/ }));
    const confirm = await screen.findByText('将投递 #41 重新放回队列并立即投递？');
    const popover = confirm.closest('.ant-popover') as HTMLElement;
    fireEvent.click(within(popover).getByRole('button', { name: /重\s*试/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/outbox/41/retry')).toBe(true));
  });
});
