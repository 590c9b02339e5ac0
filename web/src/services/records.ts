// Where a link to a record (a to-do's or a notification's) opens in the app.

/** A record a to-do or notification is about, as the API names it. */
export interface RecordLink {
  entity_type: string;
  entity_id: number | string;
  label?: string;
}

/** The page of the linked record, or undefined for a kind of record the app has no page for yet. */
export function recordPath(link: RecordLink | null | undefined): string | undefined {
  if (!link) return undefined;
  if (link.entity_type === 'customer') return `/customers/${encodeURIComponent(String(link.entity_id))}`;
  return undefined;
}
