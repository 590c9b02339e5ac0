import { http } from '../../../api/request';
import type { Customer, EntityField, Page } from '../../../api/types';
import type { Formatters } from '../../../services/formatting';
import type { CustomerFilterValues, CustomerQuery } from './types';

export const PAGE_SIZE = 20;

/** The list query for the filters; a creation date range covers whole days of the business zone. */
export function toQuery(filters: CustomerFilterValues, sort: string | undefined, days: Pick<Formatters, 'dayStart' | 'dayEnd'>): CustomerQuery {
  const [from, to] = filters.created ?? [null, null];
  return {
    q: filters.q?.trim() || undefined,
    id_number: filters.id_number?.trim() || undefined,
    phone: filters.phone?.trim() || undefined,
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

export function listCustomers(query: CustomerQuery, cursor: string | undefined): Promise<Page<Customer>> {
  return http.get<Page<Customer>>('/api/v1/customers', { ...query, limit: PAGE_SIZE, cursor });
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
