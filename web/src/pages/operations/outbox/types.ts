// Outbox deliveries (GET /api/v1/outbox): the generated API types under the page's names.
import type { components } from '../../../api/schema';

type S = components['schemas'];

export const DELIVERY_STATUSES = ['pending', 'leased', 'done', 'dead', 'discarded'] as const satisfies readonly S['Delivery']['status'][];
export type DeliveryStatus = S['Delivery']['status'];

/** One consumer's delivery of one domain event. */
export type Delivery = S['Delivery'];
export type DomainEvent = S['DomainEvent'];
export type DeliveryDetail = S['DeliveryDetail'];

export interface OutboxFilters {
  status?: DeliveryStatus;
  consumer?: string;
}

export const REASON_MIN = 2;
export const REASON_MAX = 200;
