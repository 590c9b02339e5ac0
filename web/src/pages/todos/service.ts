import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { http } from '../../api/request';
import type { Page } from '../../api/types';
import { businessInstant } from '../../utils/format';
import type { NewTodo, NewTodoForm, Todo, TodoCounts, TodoStatus } from './types';

const PAGE_SIZE = 50;

export const listTodos = (status: TodoStatus, cursor?: string, limit = PAGE_SIZE) =>
  http.get<Page<Todo>>('/api/v1/todos', { status, limit, cursor });

export const getTodoCounts = () => http.get<TodoCounts>('/api/v1/todos/counts');

/** Creates a to-do; the same key sent again (a retried click) gets the first answer back. */
export const createTodo = (body: NewTodo, idempotencyKey: string) =>
  http.post<Todo>('/api/v1/todos', body, { headers: { 'Idempotency-Key': idempotencyKey } });

export const completeTodo = (id: number, note: string) => http.post<Todo>(`/api/v1/todos/${id}/complete`, { note });

export const cancelTodo = (id: number) => http.post<Todo>(`/api/v1/todos/${id}/cancel`, {});

/** Refetches what shows to-dos: the lists, the top bar's counts and the customer timelines. */
export function refreshTodoViews(queryClient: QueryClient): Promise<void> {
  return queryClient.invalidateQueries({
    predicate: (q) => {
      const [head, , tail] = q.queryKey;
      return head === 'todos' || head === 'todo-counts' || (head === 'customer' && tail === 'timeline');
    },
  });
}

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

/**
 * What the 新建待办 dialog sends: the title trimmed, the due time as the instant its date and time
 * mean on the business zone's clock (the one the list shows it on), the assignee only when it is
 * someone else (the server assigns the caller by default).
 */
export function toNewTodo(v: NewTodoForm, me: number | undefined, zone: string | undefined): NewTodo {
  const body: NewTodo = { title: v.title.trim() };
  if (v.due_at) body.due_at = businessInstant(v.due_at, zone);
  if (v.assignee_id !== undefined && v.assignee_id !== me) body.assignee_id = v.assignee_id;
  return body;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/** How late a to-do is: whole days from a day on, else whole hours (at least one). */
export function overdueSpan(seconds: number): { unit: 'days' | 'hours'; count: number } {
  if (seconds >= DAY) return { unit: 'days', count: Math.floor(seconds / DAY) };
  return { unit: 'hours', count: Math.max(1, Math.floor(seconds / HOUR)) };
}

/** "逾期 3 天", "逾期 5 小时"; empty when the to-do is not overdue. */
export function overdueText(todo: Pick<Todo, 'overdue' | 'overdue_seconds'>, t: TFunction): string {
  if (!todo.overdue) return '';
  if (todo.overdue_seconds === null || todo.overdue_seconds === undefined) return t('todos.overdue');
  const { unit, count } = overdueSpan(todo.overdue_seconds);
  return t(unit === 'days' ? 'todos.overdueDays' : 'todos.overdueHours', { count });
}
