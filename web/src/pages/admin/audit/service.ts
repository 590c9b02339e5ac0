import { http } from '../../../api/request';
import type { AuditActionList, AuditEvent, Page } from '../../../api/types';
import type { Formatters } from '../../../services/formatting';
import type { AuditFilterValues } from './types';

/** The audit query for the filters; a date range covers whole days of the business zone. */
export function toAuditQuery(v: AuditFilterValues, days: Pick<Formatters, 'dayStart' | 'dayEnd'>): Record<string, string | number | undefined> {
  const [from, to] = v.range ?? [null, null];
  return {
    user_id: v.user_id,
    entity_type: v.entity_type,
    entity_id: v.entity_id?.trim() || undefined,
    action: v.action,
    from: from ? days.dayStart(from.format('YYYY-MM-DD')) : undefined,
    to: to ? days.dayEnd(to.format('YYYY-MM-DD')) : undefined,
  };
}

export const listAudit = (q: Record<string, string | number | undefined>, cursor?: string) =>
  http.get<Page<AuditEvent>>('/api/v1/audit-events', { ...q, limit: 50, cursor });

export const listAuditActions = () => http.get<AuditActionList>('/api/v1/audit-actions');
