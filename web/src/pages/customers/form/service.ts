import dayjs, { isDayjs } from 'dayjs';
import { ApiError, http, requestWithMeta } from '../../../api/request';
import type { Customer, DuplicateExtensions, EntityField } from '../../../api/types';
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

// A masked date ("1990-**-**") is not a date: dayjs would turn it into an invalid object that
// the date picker shows as garbage and the API conversion sends as "Invalid Date".
function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}/.test(value) && dayjs(value).isValid();
}

/** API value → form control value; undefined when the stored value cannot be edited as such. */
export function toFormValue(field: EntityField, value: unknown): FormValue {
  if (value === null || value === undefined) return undefined;
  switch (field.type) {
    case 'date':
    case 'datetime':
      return typeof value === 'string' && isIsoDate(value) ? dayjs(value) : undefined;
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

/** The edit form's starting values for a stored customer. */
export function initialValues(fields: readonly EntityField[], customer: Customer): CustomerFormValues {
  const values: CustomerFormValues = {};
  for (const f of fields) {
    // Masked personal data is not a value to edit: those fields start empty.
    if (f.sensitive) continue;
    values[f.name] = toFormValue(f, customer[f.name]);
  }
  return values;
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

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}

function sameApiValue(a: unknown, b: unknown): boolean {
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b;
}

/** The create body: every field with a value. */
export function buildBody(fields: readonly EntityField[], values: CustomerFormValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = toApiValue(f, values[f.name]);
    if (isEmpty(v)) continue;
    body[f.name] = v;
  }
  return body;
}

/**
 * The edit (PATCH) body: only the fields whose API value differs from the one the form started
 * with, so a field typed into and restored is not rewritten. A cleared field is sent as null,
 * except a sensitive one: it starts empty over a stored value the user never saw, so empty
 * there means "keep", never "erase".
 */
export function changedBody(
  fields: readonly EntityField[],
  initial: CustomerFormValues,
  values: CustomerFormValues,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    const v = toApiValue(f, values[f.name]);
    if (v === undefined || (f.sensitive && isEmpty(v))) continue;
    if (sameApiValue(v, toApiValue(f, initial[f.name]))) continue;
    body[f.name] = v;
  }
  return body;
}

/** A refused create or edit whose ID number or credit code is already a customer's: which field, and whose. */
export interface Duplicate extends DuplicateExtensions {
  field: string;
}

/** The duplicate a 409 reports (errors[0] code "duplicate", the existing customer in the extensions), or null. */
export function duplicateOf(error: unknown): Duplicate | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const violation = error.fieldErrors.find((e) => e.code === 'duplicate');
  const x = error.problem as Partial<Record<keyof DuplicateExtensions, unknown>>;
  if (!violation || typeof x.existing_id !== 'number') return null;
  return {
    field: violation.field,
    existing_id: x.existing_id,
    existing_name: typeof x.existing_name === 'string' ? x.existing_name : '',
    existing_owner_name: typeof x.existing_owner_name === 'string' ? x.existing_owner_name : '',
    may_open: x.may_open === true,
  };
}
