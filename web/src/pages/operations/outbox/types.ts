// Outbox deliveries (GET /api/v1/outbox). Not yet in the generated schema: these follow the
// runtime's contract until openapi.json describes them.

export const DELIVERY_STATUSES = ['pending', 'leased', 'done', 'dead', 'discarded'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One consumer's delivery of one domain event. */
export interface Delivery {
  id: number;
  event_seq: number;
  event_type: string;
  stream_type: string;
  stream_id: string;
  consumer: string;
  idem_key: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string;
  created_at: string;
  due_at: string;
  finished_at: string | null;
}

export interface DomainEvent {
  seq: number;
  type: string;
  stream_type: string;
  stream_id: string;
  payload: unknown;
  actor: string;
  occurred_at: string;
  correlation_id: string;
  causation_id: string;
}

export interface DeliveryDetail extends Delivery {
  event: DomainEvent;
}

export interface OutboxFilters {
  status?: DeliveryStatus;
  consumer?: string;
}

export const REASON_MIN = 2;
export const REASON_MAX = 200;
