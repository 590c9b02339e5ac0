import type { Dayjs } from 'dayjs';

export interface AuditFilterValues {
  user_id?: number;
  entity_type?: string;
  entity_id?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** The kinds of object the server records events about (audit entries' entity_type). */
export const AUDIT_OBJECT_TYPES = ['customer', 'user', 'role', 'department', 'entity'] as const;
