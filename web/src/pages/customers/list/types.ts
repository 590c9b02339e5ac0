import type { Dayjs } from 'dayjs';

export interface CustomerFilterValues {
  q?: string;
  id_number?: string;
  phone?: string;
  owner_id?: number;
  department_id?: number;
  tags?: string[];
  risk_level?: string;
  status?: string;
  source_channel?: string;
  created?: [Dayjs | null, Dayjs | null] | null;
}

export type CustomerQuery = Record<string, string | number | undefined>;

export interface ColumnChoice {
  key: string;
  title: string;
}
