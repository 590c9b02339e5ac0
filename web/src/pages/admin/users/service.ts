import { http } from '../../../api/request';
import { etagOf } from '../../../api/etag';
import type { Page, PendingChange, User } from '../../../api/types';
import type { UserFilters, UserFormValues } from './types';

export const listUsers = (f: UserFilters, cursor?: string) => http.get<Page<User>>('/api/v1/users', { ...f, limit: 50, cursor });
export const createUser = (v: UserFormValues) => http.post<User>('/api/v1/users', v);
export const updateUser = (u: User, patch: Partial<UserFormValues> & { status?: string }) =>
  http.patch<User>(`/api/v1/users/${u.id}`, patch, { headers: { 'If-Match': etagOf(u.version) } });
/** Undefined when the password is reset (204); the change when it waits for a second administrator (202). */
export const resetPassword = (id: number, password: string) =>
  http.post<PendingChange | undefined>(`/api/v1/users/${id}/reset-password`, { password });
