import dayjs, { isDayjs } from 'dayjs';
import { http, requestWithMeta } from '../../../api/request';
import type { Customer, EntityField } from '../../../api/types';
import type { CustomerFormValues, FormValue } from './types';

export function getCustomer(id: string) {
  return requestWithMeta<Customer>('GET', `/api/v1/customers/${id}`);
}

export function createCustomer(body: Record<string, unknown>, idempotencyKey: string): Promise<Customer> {
  return http.post<Customer>('/api/v1/customers', body, { headers: { 'Idempotency-Key': idempotencyKey } });
}

export function updateCustomer(id: string, body: Record<string, unknown>, etag: string | null): Promise<Customer> {
  return http.patch<Customer>(`/api/v1/customers/${id}`, body, { headers: etag ? { 'If-Match': etag } : {} });
}

/** API value → form control value. */
export function toFormValue(field: EntityField, value: unknown): FormValue {
  if (value === null || value === undefined) return undefined;
  switch (field.type) {
    case 'date':
    case 'datetime':
      return typeof value === 'string' && value ? dayjs(value) : undefined;
    case 'multi_select':
      return Array.isArray(value) ? value.map(String) : [String(value)];
    case 'boolean':
      return value === true;
    case 'integer':
      return typeof value === 'number' ? value : Number(value);
    default:
      return typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  }
}

/** Form control value → API value; undefined means "leave out". */
export function toApiValue(field: EntityField, value: FormValue): unknown {
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  if (isDayjs(value)) return field.type === 'datetime' ? value.format() : value.format('YYYY-MM-DD');
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }
  if ((field.type === 'money' || field.type === 'decimal' || field.type === 'percent') && typeof value === 'number') {
    return String(value);
  }
  return value;
}

export function buildBody(
  fields: readonly EntityField[],
  values: CustomerFormValues,
  include: (name: string) => boolean,
  dropEmpty: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (!include(f.name)) continue;
    const v = toApiValue(f, values[f.name]);
    if (v === undefined) continue;
    if (dropEmpty && (v === null || (Array.isArray(v) && v.length === 0))) continue;
    body[f.name] = v;
  }
  return body;
}
