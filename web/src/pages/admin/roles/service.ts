import { http } from '../../../api/request';
import { etagOf } from '../../../api/etag';
import type { DataScope, Role } from '../../../api/types';
import type { RoleFormValues } from './types';

function body(v: RoleFormValues) {
  const scopes: Record<string, DataScope> = {};
  for (const [k, s] of Object.entries(v.scopes ?? {})) if (s) scopes[k] = s;
  return { name: { 'zh-CN': v.name_zh, 'en-US': v.name_en }, permissions: v.permissions ?? [], scopes };
}

export const createRole = (v: RoleFormValues) => http.post<Role>('/api/v1/roles', { key: v.key, ...body(v) });
export const updateRole = (r: Role, v: RoleFormValues) =>
  http.patch<Role>(`/api/v1/roles/${r.id}`, body(v), { headers: { 'If-Match': etagOf(r.version) } });
export const deleteRole = (id: number) => http.del<void>(`/api/v1/roles/${id}`);
