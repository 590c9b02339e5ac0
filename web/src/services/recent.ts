// The customers a user opened last, kept in this browser per user (localStorage): the workbench
// lists them so staff get back to the customer they were just working on.

/** A customer as the workbench lists it. */
export interface RecentCustomer {
  id: number;
  name: string;
  type: string;
  /** When the detail page was opened (ISO instant). */
  viewed_at: string;
}

export const RECENT_LIMIT = 10;

const key = (userId: number) => `oc.recent-customers.${userId}`;

function isRecent(v: unknown): v is RecentCustomer {
  const r = v as Partial<RecentCustomer> | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'number' && typeof r.name === 'string' && typeof r.type === 'string' && typeof r.viewed_at === 'string';
}

/** The user's recently viewed customers, the latest first. */
export function recentCustomers(userId: number): RecentCustomer[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter(isRecent).slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

/** Puts the customer first in the user's list (once), keeping the RECENT_LIMIT latest. */
export function recordCustomerView(userId: number, customer: Omit<RecentCustomer, 'viewed_at'>, now: Date = new Date()): void {
  const entry: RecentCustomer = { ...customer, viewed_at: now.toISOString() };
  const list = [entry, ...recentCustomers(userId).filter((c) => c.id !== customer.id)].slice(0, RECENT_LIMIT);
  try {
    localStorage.setItem(key(userId), JSON.stringify(list));
  } catch {
    // storage unavailable: nothing is remembered
  }
}

/** Forgets a customer that is gone (deleted, or no longer in the user's scope). */
export function forgetCustomer(userId: number, id: number): void {
  const list = recentCustomers(userId).filter((c) => c.id !== id);
  try {
    localStorage.setItem(key(userId), JSON.stringify(list));
  } catch {
    // storage unavailable
  }
}
