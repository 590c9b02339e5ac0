// Where a link to a record (a to-do's or a notification's) opens in the app.
import type { components } from '../api/schema';

/** A record a to-do or notification is about, as the API names it. */
export type RecordLink = components['schemas']['RecordLink'];

/**
 * The page of the linked record, or undefined for a kind of record the app has no page for yet.
 * A to-do has no page of its own: its link opens 我的待办, where it is listed.
 */
export function recordPath(link: RecordLink | null | undefined): string | undefined {
  if (!link) return undefined;
  if (link.entity_type === 'customer') return `/customers/${encodeURIComponent(link.entity_id)}`;
  if (link.entity_type === 'todo') return '/todos';
  return undefined;
}
