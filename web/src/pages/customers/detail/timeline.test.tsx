import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import type { Entity } from '../../../api/types';
import { AuthProvider } from '../../../auth/AuthContext';
import TimelineTab from './components/TimelineTab';
import { timelineColor, timelineKey } from './service';
import type { CustomerTimelineItem, TimelineTodoItem } from './types';

const entity: Entity = { key: 'customer', label: { 'zh-CN': '客户', 'en-US': 'Customer' }, version: 1, fields: [] };

function todoItem(id: number, extra: Partial<TimelineTodoItem['todo']>): TimelineTodoItem {
  return {
    kind: 'todo',
    at: '2026-12-01T02:00:00Z',
    id,
    actor: '系统',
    todo: { id, title: '回访', status: 'open', due_at: null, assignee_name: '张客户经理', overdue: false, ...extra },
  };
}

const late = todoItem(31, { title: '逾期回访', due_at: '2026-12-02T02:00:00Z', overdue: true });
const done = todoItem(32, { title: '补充收入证明', status: 'done', due_at: '2026-12-05T02:00:00Z' });
const followup: CustomerTimelineItem = { kind: 'followup', id: 31, at: '2026-11-30T02:00:00Z', channel: 'phone', content: '电话沟通' };

function json(body: object) {
  return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } }));
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('timelineKey and timelineColor', () => {
  it('keeps a to-do apart from a follow-up of the same id and colours a late one red', () => {
    expect(timelineKey(late)).toBe('todo-31');
    expect(timelineKey(followup)).toBe('followup-31');
    expect([late, done, todoItem(3, {}), todoItem(4, { status: 'cancelled' }), followup].map(timelineColor)).toEqual(['red', 'green', 'orange', 'gray', 'blue']);
  });
});

describe('TimelineTab', { timeout: 20_000 }, () => {
  it('shows to-dos with their state, due time, assignee, the late one highlighted', async () => {
    vi.stubGlobal('fetch', (url: string) => {
      if (url.startsWith('/api/v1/auth/me')) {
        return json({
          csrf_token: 't',
          must_change_password: false,
          expires_at: '2999-01-01T00:00:00Z',
          time_zone: '+08:00',
          user: { id: 7, username: 'am1', display_name: '张客户经理', language: 'zh-CN', department: {}, roles: [], permissions: [], scopes: {} },
        });
      }
      return json({ items: [late, done, followup], next_cursor: null });
    });
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <AuthProvider>
            <TimelineTab customerId="201" entity={entity} />
          </AuthProvider>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    const lateEntry = await screen.findByTestId('timeline-todo-31');
    expect(lateEntry.textContent).toContain('未完成');
    expect(lateEntry.textContent).toContain('逾期回访');
    expect(lateEntry.textContent).toContain('处理人 张客户经理');
    expect(lateEntry.getAttribute('data-overdue')).toBe('true');
    expect(screen.getByText('已逾期，截止 2026-12-02 10:00')).toBeTruthy();
    const doneEntry = screen.getByTestId('timeline-todo-32');
    expect(doneEntry.textContent).toContain('已完成');
    expect(doneEntry.textContent).toContain('截止 2026-12-05 10:00');
    expect(doneEntry.getAttribute('data-overdue')).toBeNull();
    expect(screen.getByText('电话沟通')).toBeTruthy();
  });
});
