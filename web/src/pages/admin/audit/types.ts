import type { Dayjs } from 'dayjs';

export interface AuditFilterValues {
  user_id?: number;
  entity_type?: string;
  entity_id?: string;
  action?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}
