import dayjs from 'dayjs';
import { http } from '../../../api/request';
import type { AssignableUser, CustomerPage, EntityField } from '../../../api/types';
import type { Formatters } from '../../../services/formatting';
import { checkMobile } from '../../../utils/validators';
import type { CustomerFilterValues, CustomerQuery, FilterState } from './types';

export const PAGE_SIZE = 20;

/** The list query for the filters; a creation date range covers whole days of the business zone. */
export function toQuery(filters: CustomerFilterValues, sort: string | undefined, days: Pick<Formatters, 'dayStart' | 'dayEnd'>): CustomerQuery {
  const [from, to] = filters.created ?? [null, null];
  return {
    q: filters.q?.trim() || undefined,
    id_number: filters.id_number?.trim() || undefined,
    phone: filters.phone?.trim() || undefined,
    phone_tail: filters.phone_tail?.trim() || undefined,
    owner_id: filters.owner_id,
    department_id: filters.department_id,
    tags: filters.tags && filters.tags.length > 0 ? filters.tags.join(',') : undefined,
    risk_level: filters.risk_level,
    status: filters.status,
    source_channel: filters.source_channel,
    'created_at.from': from ? days.dayStart(from.format('YYYY-MM-DD')) : undefined,
    'created_at.to': to ? days.dayEnd(to.format('YYYY-MM-DD')) : undefined,
    sort: sort ?? '-created_at',
  };
}

/**
 * Whether the list may sort by a field. A date masked to its year would give its hidden day away
 * through the order, so the server refuses (422 not_sortable) unless the user may see it plainly.
 */
export function isSortable(field: EntityField | undefined, canUnmask: boolean): boolean {
  return Boolean(field?.sortable) && (canUnmask || !field?.masked_to_year);
}

export function listCustomers(query: CustomerQuery, cursor: string | undefined): Promise<CustomerPage> {
  return http.get<CustomerPage>('/api/v1/customers', { ...query, limit: PAGE_SIZE, cursor });
}

/**
 * Whether a phone search is text the server cannot match: it finds a phone by its whole number
 * only (the stored number is encrypted; only a blind index of the whole is kept). Someone who
 * remembers the last four digits is pointed at the tail search instead.
 */
export function isPartialPhone(phone: string | undefined): boolean {
  const v = phone?.trim() ?? '';
  return v !== '' && !checkMobile(v).ok;
}

/** The last four digits of a partly typed phone, to search by tail instead; undefined with fewer. */
export function phoneTailOf(phone: string | undefined): string | undefined {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.length >= 4 ? digits.slice(-4) : undefined;
}

const filtersKey = (userId: number) => `oc.customers.filters.${userId}`;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const id = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);

function isAssignableUser(v: unknown): v is AssignableUser {
  const u = v as Partial<AssignableUser> | null;
  return typeof u === 'object' && u !== null && typeof u.id === 'number' && typeof u.display_name === 'string' && typeof u.department === 'object' && Array.isArray(u.roles);
}

/** Filter values as stored: dates as "YYYY-MM-DD". */
function toStored(values: CustomerFilterValues): Record<string, unknown> {
  const [from, to] = values.created ?? [null, null];
  return { ...values, created: from && to ? [from.format('YYYY-MM-DD'), to.format('YYYY-MM-DD')] : undefined };
}

/** Stored filter values back, keeping only what has the shape a filter takes (storage is outside input). */
function fromStored(raw: Record<string, unknown>): CustomerFilterValues {
  const created = Array.isArray(raw.created) && raw.created.length === 2 ? raw.created.map((d) => (typeof d === 'string' ? dayjs(d) : null)) : null;
  const tags = Array.isArray(raw.tags) ? raw.tags.filter((x): x is string => typeof x === 'string') : undefined;
  return {
    q: text(raw.q),
    id_number: text(raw.id_number),
    phone: text(raw.phone),
    phone_tail: text(raw.phone_tail),
    owner_id: id(raw.owner_id),
    department_id: id(raw.department_id),
    tags: tags && tags.length > 0 ? tags : undefined,
    risk_level: text(raw.risk_level),
    status: text(raw.status),
    source_channel: text(raw.source_channel),
    created: created && created[0]?.isValid() && created[1]?.isValid() ? [created[0], created[1]] : undefined,
  };
}

/** The filters and the collapsed state a user left the list with; nothing remembered for another user. */
export function loadFilterState(userId: number): FilterState {
  try {
    const raw = localStorage.getItem(filtersKey(userId));
    if (raw) {
      const parsed = JSON.parse(raw) as { values?: unknown; collapsed?: unknown; owner?: unknown };
      const values = typeof parsed.values === 'object' && parsed.values !== null ? fromStored(parsed.values as Record<string, unknown>) : {};
      const owner = isAssignableUser(parsed.owner) && parsed.owner.id === values.owner_id ? parsed.owner : undefined;
      return { values, collapsed: parsed.collapsed !== false, owner };
    }
  } catch {
    // ignore broken storage
  }
  return { values: {}, collapsed: true };
}

export function saveFilterState(userId: number, state: FilterState): void {
  try {
    localStorage.setItem(filtersKey(userId), JSON.stringify({ ...state, values: toStored(state.values) }));
  } catch {
    // storage unavailable
  }
}

const COLUMNS_KEY = 'oc.customers.columns';

export function loadColumnChoice(defaults: string[]): string[] {
  try {
    const raw = localStorage.getItem(COLUMNS_KEY);
    if (raw) {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed as string[];
    }
  } catch {
    // ignore broken storage
  }
  return defaults;
}

export function saveColumnChoice(keys: string[]): void {
  try {
    localStorage.setItem(COLUMNS_KEY, JSON.stringify(keys));
  } catch {
    // storage unavailable
  }
}
