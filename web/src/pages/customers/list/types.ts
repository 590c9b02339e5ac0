import type { Dayjs } from 'dayjs';
import type { AssignableUser } from '../../../api/types';

export interface CustomerFilterValues {
  q?: string;
  id_number?: string;
  phone?: string;
  /** The last four digits of the phone, what the mask shows. */
  phone_tail?: string;
  owner_id?: number;
  department_id?: number;
  tags?: string[];
  risk_level?: string;
  status?: string;
  source_channel?: string;
  created?: [Dayjs | null, Dayjs | null] | null;
}

/** What the list remembers for a user between visits. */
export interface FilterState {
  values: CustomerFilterValues;
  collapsed: boolean;
  /** The account manager filtered by, so the filter shows the name before any search. */
  owner?: AssignableUser;
}

export type CustomerQuery = Record<string, string | number | undefined>;

export interface ColumnChoice {
  key: string;
  title: string;
}
