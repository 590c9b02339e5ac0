import type { TimelineItem } from '../../../api/types';

export const RELATION_ROLES = [
  'spouse',
  'guarantor',
  'co_borrower',
  'shareholder',
  'legal_representative',
  'actual_controller',
  'emergency_contact',
] as const;

export const FOLLOWUP_CHANNELS = ['phone', 'visit', 'wechat', 'email', 'other'] as const;

export interface RelationInput {
  role: string;
  related_customer_id?: number;
  person_name?: string;
  person_phone?: string;
  /** A related person's ID number, checked as a resident ID number; stored encrypted, shown masked. */
  person_id_number?: string;
  /** Only a shareholder holds a share. */
  share_percent?: string;
  note?: string;
}

export interface FollowUpInput {
  channel: string;
  content: string;
  outcome?: string;
  next_followup_date?: string;
}

/** The one relation that carries a share percentage. */
export const SHAREHOLDER = 'shareholder';

export interface RelationForm extends RelationInput {
  mode: 'customer' | 'person';
}

/** A to-do about the customer in its timeline: the server sends `todo` with every item of that kind. */
export type TimelineTodoItem = TimelineItem & { kind: 'todo'; todo: NonNullable<TimelineItem['todo']> };

/** What the customer timeline lists: follow-ups, changes and to-dos. */
export type CustomerTimelineItem = (TimelineItem & { kind: 'followup' | 'change' }) | TimelineTodoItem;
