// What the top bar shows: notifications and the business date. Not yet in the generated schema:
// these follow the runtime's contract until openapi.json describes them.
import type { RecordLink } from '../services/records';

export interface Notification {
  id: number;
  title: string;
  body: string;
  link: RecordLink | null;
  created_at: string;
  read_at: string | null;
}

export interface BusinessDate {
  /** "2026-12-03" */
  date: string;
  calendar_key: string;
  next_working_day: string;
  updated_at: string;
}
