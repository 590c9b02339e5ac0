// The business calendar and the business date (GET /api/v1/calendars, /api/v1/business-date):
// the generated API types under the page's names.
import type { components, operations } from '../../../api/schema';

type S = components['schemas'];

export const DAY_KINDS = ['holiday', 'workday'] as const satisfies readonly S['CalendarDay']['kind'][];
/** holiday: a day off on a working weekday (休); workday: a make-up working day on a rest day (班). */
export type DayKind = S['CalendarDay']['kind'];
/** What a day can be set to: a holiday, a make-up working day, or as its weekday says (normal). */
export type DayChoice = DayKind | 'normal';

/** One listed day, "2026-10-01". */
export type CalendarDay = S['CalendarDay'];
/** "09:00"–"12:00" */
export type WorkingPeriod = S['WorkingPeriod'];
/** work_week holds ISO weekdays, 1 = Monday … 7 = Sunday. */
export type BusinessCalendar = S['Calendar'];
export type CalendarPatch = S['CalendarInput'];
/** A year's listed days, and when the whole year was last imported (null: never). */
export type CalendarYear = operations['listCalendarDays']['responses'][200]['content']['application/json'];
export type ImportedYear = operations['importCalendarYear']['responses'][200]['content']['application/json'];
/** How the business date moved. */
export type Advanced = S['BusinessDateChange'];

/** The calendar the business date follows. */
export const DEFAULT_CALENDAR = 'cn';
export const DAY_NAME_MAX = 50;
export const ISO_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
