// To-dos (GET/POST /api/v1/todos): the generated API types under the page's names.
import type { Dayjs } from 'dayjs';
import type { components, operations } from '../../api/schema';

type S = components['schemas'];

export const TODO_STATUSES = ['open', 'done', 'cancelled'] as const satisfies readonly S['TodoStatus'][];
export type TodoStatus = S['TodoStatus'];

export const TODO_SOURCES = ['manual', 'rule', 'approval', 'system'] as const satisfies readonly S['Todo']['source'][];
export type TodoSource = S['Todo']['source'];

export type Todo = S['Todo'];
export type TodoCounts = operations['getTodoCounts']['responses'][200]['content']['application/json'];
export type NewTodo = S['TodoInput'];

/** The 新建待办 dialog's values. */
export interface NewTodoForm {
  title: string;
  due_at?: Dayjs | null;
  assignee_id?: number;
}

export const TITLE_MAX = 200;
export const NOTE_MAX = 1000;
