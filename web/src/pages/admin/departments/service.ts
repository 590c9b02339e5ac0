import { http } from '../../../api/request';
import { etagOf } from '../../../api/etag';
import type { Department } from '../../../api/types';
import type { DepartmentInput } from './types';

export const createDepartment = (v: DepartmentInput) => http.post<Department>('/api/v1/departments', v);
export const updateDepartment = (d: Department, v: DepartmentInput) =>
  http.patch<Department>(`/api/v1/departments/${d.id}`, v, { headers: { 'If-Match': etagOf(d.version) } });
export const deleteDepartment = (id: number) => http.del<void>(`/api/v1/departments/${id}`);
