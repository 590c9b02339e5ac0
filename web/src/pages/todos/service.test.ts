import { afterEach, describe, expect, it, vi } from 'vitest';
import dayjs from 'dayjs';
import { QueryClient } from '@tanstack/react-query';
import i18n from '../../i18n';
import { recordPath } from '../../services/records';
import { cancelTodo, completeTodo, createTodo, listTodos, overdueSpan, overdueText, refreshTodoViews, toNewTodo } from './service';

const zh = i18n.getFixedT('zh-CN');
const en = i18n.getFixedT('en-US');

afterEach(() => vi.unstubAllGlobals());

function answering(body: object, status = 200) {
  const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response(JSON.stringify(body), { status })));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('the to-do requests', () => {
  it('lists one status a page at a time', async () => {
    const fetchMock = answering({ items: [], next_cursor: null });
    await listTodos('done', 'c2');
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/v1/todos?status=done&limit=50&cursor=c2');
  });
  it('creates with an idempotency key, completes with the note and cancels with an empty body', async () => {
    const fetchMock = answering({ id: 1 }, 201);
    await createTodo({ title: '回访' }, 'k-1');
    await completeTodo(7, '已电话回访');
    await cancelTodo(8);
    const [create, complete, cancel] = fetchMock.mock.calls;
    expect((create?.[1]?.headers as Record<string, string>)['Idempotency-Key']).toBe('k-1');
    expect(create?.[1]?.body).toBe(JSON.stringify({ title: '回访' }));
    expect(complete?.[0]).toBe('/api/v1/todos/7/complete');
    expect(complete?.[1]?.body).toBe(JSON.stringify({ note: '已电话回访' }));
    expect(cancel?.[0]).toBe('/api/v1/todos/8/cancel');
    expect(cancel?.[1]?.body).toBe('{}');
  });
});

describe('toNewTodo', () => {
  it('trims the title, sends the due time on the business clock and leaves the assignee to the server when it is me', () => {
    const due = dayjs('2026-12-05T09:30');
    expect(toNewTodo({ title: '  回访张三 ', due_at: due, assignee_id: 7 }, 7, '+08:00')).toEqual({ title: '回访张三', due_at: '2026-12-05T09:30:00+08:00' });
  });
  it('names another assignee and sends no due time when none is given', () => {
    expect(toNewTodo({ title: '补充材料', due_at: null, assignee_id: 9 }, 7, '+08:00')).toEqual({ title: '补充材料', assignee_id: 9 });
  });
});

describe('overdue', () => {
  it('counts whole days from a day on, else whole hours, at least one', () => {
    expect(overdueSpan(59)).toEqual({ unit: 'hours', count: 1 });
    expect(overdueSpan(5 * 3600 + 1800)).toEqual({ unit: 'hours', count: 5 });
    expect(overdueSpan(86_400)).toEqual({ unit: 'days', count: 1 });
    expect(overdueSpan(3 * 86_400 + 7200)).toEqual({ unit: 'days', count: 3 });
  });
  it('says it in each language, and nothing when not overdue', () => {
    expect(overdueText({ overdue: true, overdue_seconds: 3 * 86_400 }, zh)).toBe('逾期 3 天');
    expect(overdueText({ overdue: true, overdue_seconds: 2 * 3600 }, zh)).toBe('逾期 2 小时');
    expect(overdueText({ overdue: true, overdue_seconds: 86_400 }, en)).toBe('1 day overdue');
    expect(overdueText({ overdue: true, overdue_seconds: 7200 }, en)).toBe('2 hours overdue');
    expect(overdueText({ overdue: false, overdue_seconds: null }, zh)).toBe('');
  });
});

describe('recordPath', () => {
  it('opens a linked customer, a linked to-do in 我的待办, and nothing for kinds without a page', () => {
    expect(recordPath({ entity_type: 'customer', entity_id: '201', label: '张三' })).toBe('/customers/201');
    expect(recordPath({ entity_type: 'todo', entity_id: '88' })).toBe('/todos');
    expect(recordPath({ entity_type: 'loan', entity_id: '5' })).toBeUndefined();
    expect(recordPath(null)).toBeUndefined();
  });
});

describe('refreshTodoViews', () => {
  it('marks the lists, the counts and the customer timelines stale, and nothing else', async () => {
    const client = new QueryClient();
    for (const key of [['todos', 'open'], ['todo-counts'], ['customer', '201', 'timeline'], ['customer', '201'], ['audit', {}]]) {
      client.setQueryData(key, {});
    }
    await refreshTodoViews(client);
    const stale = client
      .getQueryCache()
      .getAll()
      .filter((q) => q.isStale())
      .map((q) => JSON.stringify(q.queryKey));
    expect(stale.sort()).toEqual(['["customer","201","timeline"]', '["todo-counts"]', '["todos","open"]']);
  });
});
