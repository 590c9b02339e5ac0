import dayjs, { type Dayjs } from 'dayjs';
import { etagOf } from '../../../api/etag';
import { http } from '../../../api/request';
import { DAY_KINDS, DAY_NAME_MAX, type Advanced, type BusinessCalendar, type CalendarDay, type CalendarPatch, type CalendarYear, type DayKind, type ImportedYear, type WorkingPeriod } from './types';

const cal = (key: string) => `/api/v1/calendars/${encodeURIComponent(key)}`;

export const listCalendars = () => http.get<{ items: BusinessCalendar[] }>('/api/v1/calendars');
export const listDays = (key: string, year: number) => http.get<CalendarYear>(`${cal(key)}/days`, { year });
export const setDay = (key: string, date: string, kind: DayKind, name: string) => http.put<CalendarDay>(`${cal(key)}/days/${date}`, { kind, name });
export const clearDay = (key: string, date: string) => http.del<void>(`${cal(key)}/days/${date}`);
/** Replaces the year's holidays and make-up working days with `days`. */
export const replaceYear = (key: string, year: number, days: CalendarDay[]) => http.put<ImportedYear>(`${cal(key)}/years/${year}`, { days });
/** Changes the calendar as of `version` (If-Match): 412 when someone changed it meanwhile. */
export const patchCalendar = (key: string, body: CalendarPatch, version: number) =>
  http.patch<BusinessCalendar>(cal(key), body, { headers: { 'If-Match': etagOf(version) } });
/** Moves the business date on: to `to`, or to the next working day. */
export const advanceBusinessDate = (to?: string) => http.post<Advanced>('/api/v1/business-date/advance', to ? { to } : {});

/** A date's ISO weekday, 1 = Monday … 7 = Sunday. */
export const isoWeekday = (d: Dayjs): number => (d.day() === 0 ? 7 : d.day());

/** Whether a date is worked: its holiday or make-up day if it has one, else its weekday. */
export function isWorkingDay(d: Dayjs, day: CalendarDay | undefined, workWeek: readonly number[]): boolean {
  if (day) return day.kind === 'workday';
  return workWeek.includes(isoWeekday(d));
}

/** The year's days by date, for the month grid. */
export function daysByDate(days: readonly CalendarDay[]): Map<string, CalendarDay> {
  return new Map(days.map((d) => [d.date, d]));
}

export type ImportProblem =
  | { index: -1; code: 'invalid_json' | 'not_array' | 'empty' }
  | { index: number; code: 'not_object' | 'invalid_date' | 'other_year' | 'invalid_kind' | 'invalid_name' | 'name_too_long' | 'duplicate' };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a year's days pasted or uploaded as JSON [{date, kind, name}]: every date a real date of
 * `year`, once; kind "holiday" or "workday"; name text of at most 50 characters (trimmed). Returns
 * the days sorted by date, or every problem found, each with the entry's index (-1 for the whole).
 */
export function parseYearDays(text: string, year: number): { days: CalendarDay[]; problems: ImportProblem[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { days: [], problems: [{ index: -1, code: 'invalid_json' }] };
  }
  if (!Array.isArray(parsed)) return { days: [], problems: [{ index: -1, code: 'not_array' }] };
  if (parsed.length === 0) return { days: [], problems: [{ index: -1, code: 'empty' }] };
  const problems: ImportProblem[] = [];
  const days: CalendarDay[] = [];
  const seen = new Set<string>();
  parsed.forEach((entry: unknown, index) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ index, code: 'not_object' });
      return;
    }
    const { date, kind, name } = entry as Record<string, unknown>;
    if (typeof date !== 'string' || !ISO_DATE.test(date) || dayjs(date).format('YYYY-MM-DD') !== date) {
      problems.push({ index, code: 'invalid_date' });
      return;
    }
    if (Number(date.slice(0, 4)) !== year) {
      problems.push({ index, code: 'other_year' });
      return;
    }
    if (typeof kind !== 'string' || !(DAY_KINDS as readonly string[]).includes(kind)) {
      problems.push({ index, code: 'invalid_kind' });
      return;
    }
    if (name !== undefined && typeof name !== 'string') {
      problems.push({ index, code: 'invalid_name' });
      return;
    }
    const trimmed = (name ?? '').trim();
    if ([...trimmed].length > DAY_NAME_MAX) {
      problems.push({ index, code: 'name_too_long' });
      return;
    }
    if (seen.has(date)) {
      problems.push({ index, code: 'duplicate' });
      return;
    }
    seen.add(date);
    days.push({ date, kind: kind as DayKind, name: trimmed });
  });
  days.sort((a, b) => a.date.localeCompare(b.date));
  return { days: problems.length > 0 ? [] : days, problems };
}

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * Why working hours are refused, or undefined: each period "HH:mm"–"HH:mm" with its start before
 * its end, in order, none overlapping the next; at least one period.
 */
export function workingHoursProblem(periods: readonly Partial<WorkingPeriod>[]): 'none' | 'invalid_time' | 'start_after_end' | 'overlap' | undefined {
  if (periods.length === 0) return 'none';
  for (const p of periods) {
    if (!p.start || !p.end || !HH_MM.test(p.start) || !HH_MM.test(p.end)) return 'invalid_time';
    if (p.start >= p.end) return 'start_after_end';
  }
  for (let i = 1; i < periods.length; i += 1) {
    const prev = periods[i - 1];
    const cur = periods[i];
    if (prev && cur && (cur.start ?? '') < (prev.end ?? '')) return 'overlap';
  }
  return undefined;
}
