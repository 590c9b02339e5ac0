// The business calendar and the business date (GET /api/v1/calendars, /api/v1/business-date).
// Not yet in the generated schema: these follow the runtime's contract until openapi.json
// describes them.

export const DAY_KINDS = ['holiday', 'workday'] as const;
/** holiday: a day off on a working weekday (休); workday: a make-up working day on a rest day (班). */
export type DayKind = (typeof DAY_KINDS)[number];
/** What a day can be set to: a holiday, a make-up working day, or as its weekday says (normal). */
export type DayChoice = DayKind | 'normal';

export interface CalendarDay {
  /** "2026-10-01" */
  date: string;
  kind: DayKind;
  name: string;
}

export interface WorkingPeriod {
  /** "09:00" */
  start: string;
  end: string;
}

export interface BusinessCalendar {
  key: string;
  name: string;
  time_zone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  work_week: number[];
  working_hours: WorkingPeriod[];
  version: number;
}

export interface CalendarPatch {
  name_zh?: string;
  name_en?: string;
  time_zone?: string;
  work_week?: number[];
  working_hours?: WorkingPeriod[];
}

export interface Advanced {
  from: string;
  to: string;
  how: string;
}

/** The calendar the business date follows. */
export const DEFAULT_CALENDAR = 'cn';
export const DAY_NAME_MAX = 50;
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
