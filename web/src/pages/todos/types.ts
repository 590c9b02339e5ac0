// To-dos (GET/POST /api/v1/todos). Not yet in the generated schema: these follow the runtime's
// contract until openapi.json describes them.
import type { Dayjs } from 'dayjs';
import type { RecordLink } from '../../services/records';

export const TODO_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TodoStatus = (typeof TODO_STATUSES)[number];

export const TODO_SOURCES = ['manual', 'rule', 'approval', 'system'] as const;
export type TodoSource = (typeof TODO_SOURCES)[number];

export interface Todo {
  id: number;
  title: string;
  assignee_id: number;
  assignee_name: string;
  due_at: string | null;
  link: RecordLink | null;
  source: TodoSource;
  status: TodoStatus;
  completion_note: string;
  created_at: string;
  closed_at: string | null;
  overdue: boolean;
  overdue_seconds: number | null;
}

export interface TodoCounts {
  open: number;
  overdue: number;
  unread_notifications: number;
}

export interface NewTodo {
  title: string;
  due_at?: string;
  assignee_id?: number;
  link?: { entity_type: string; entity_id: number };
}

/** The 新建待办 dialog's values. */
export interface NewTodoForm {
  title: string;
  due_at?: Dayjs | null;
  assignee_id?: number;
}

export const TITLE_MAX = 200;
export const NOTE_MAX = 1000;
