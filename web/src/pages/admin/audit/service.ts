import { http } from '../../../api/request';
import type { AuditEvent, Page } from '../../../api/types';
import type { AuditFilterValues } from './types';

export function toAuditQuery(v: AuditFilterValues): Record<string, string | number | undefined> {
  const [from, to] = v.range ?? [null, null];
  return {
    user_id: v.user_id,
    entity_type: v.entity_type?.trim() || undefined,
    entity_id: v.entity_id?.trim() || undefined,
    action: v.action?.trim() || undefined,
    from: from ? from.startOf('day').format() : undefined,
    to: to ? to.endOf('day').format() : undefined,
  };
}

export const listAudit = (q: Record<string, string | number | undefined>, cursor?: string) =>
  http.get<Page<AuditEvent>>('/api/v1/audit-events', { ...q, limit: 50, cursor });
