import { http } from '../../../api/request';
import type { Page } from '../../../api/types';
import { REASON_MAX, REASON_MIN, type Delivery, type DeliveryDetail, type OutboxFilters } from './types';

const PAGE_SIZE = 50;

/** The list's query: the status and the consumer (trimmed), empty ones left out. */
export function toOutboxQuery(f: OutboxFilters): Record<string, string | undefined> {
  return { status: f.status, consumer: f.consumer?.trim() || undefined };
}

export const listDeliveries = (q: Record<string, string | undefined>, cursor?: string) =>
  http.get<Page<Delivery>>('/api/v1/outbox', { ...q, limit: PAGE_SIZE, cursor });
export const getDelivery = (id: number) => http.get<DeliveryDetail>(`/api/v1/outbox/${id}`);
export const retryDelivery = (id: number) => http.post<Delivery>(`/api/v1/outbox/${id}/retry`, {});
export const discardDelivery = (id: number, reason: string) => http.post<Delivery>(`/api/v1/outbox/${id}/discard`, { reason });

/** A dead or discarded delivery can be queued again. */
export const canRetry = (d: Pick<Delivery, 'status'>) => d.status === 'dead' || d.status === 'discarded';
/** Only a dead delivery can be given up. */
export const canDiscard = (d: Pick<Delivery, 'status'>) => d.status === 'dead';

/** Why a discard reason is refused, or undefined: 2–200 characters once trimmed. */
export function reasonProblem(reason: string | undefined): 'required' | 'too_short' | 'too_long' | undefined {
  const text = reason?.trim() ?? '';
  if (text === '') return 'required';
  if ([...text].length < REASON_MIN) return 'too_short';
  if ([...text].length > REASON_MAX) return 'too_long';
  return undefined;
}

/** An event payload indented for reading; text that holds JSON is read as JSON first. */
export function prettyPayload(payload: unknown): string {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return value as string;
    }
  }
  return JSON.stringify(value, null, 2) ?? '';
}
