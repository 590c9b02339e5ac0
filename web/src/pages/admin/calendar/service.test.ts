import { afterEach, describe, expect, it, vi } from 'vitest';
import dayjs from 'dayjs';
import {
  advanceBusinessDate,
  clearDay,
  isWorkingDay,
  isoWeekday,
  listDays,
  parseYearDays,
  patchCalendar,
  replaceYear,
  setDay,
  workingHoursProblem,
} from './service';

afterEach(() => vi.unstubAllGlobals());

describe('the calendar requests', () => {
  it('read a year, set and clear a day, replace a year, change the calendar as of its version and advance the date', async () => {
    const fetchMock = vi.fn<typeof fetch>(() => Promise.resolve(new Response('{}', { status: 200 })));
    vi.stubGlobal('fetch', fetchMock);
    await listDays('cn', 2026);
    await setDay('cn', '2026-10-01', 'holiday', '国庆节');
    await clearDay('cn', '2026-10-01');
    await replaceYear('cn', 2027, [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }]);
    await patchCalendar('cn', { work_week: [1, 2, 3, 4, 5, 6] }, 4);
    await advanceBusinessDate();
    await advanceBusinessDate('2026-12-08');
    const calls = fetchMock.mock.calls;
    expect(calls.map((c) => `${c[1]?.method} ${String(c[0])}`)).toEqual([
      'GET /api/v1/calendars/cn/days?year=2026',
      'PUT /api/v1/calendars/cn/days/2026-10-01',
      'DELETE /api/v1/calendars/cn/days/2026-10-01',
      'PUT /api/v1/calendars/cn/years/2027',
      'PATCH /api/v1/calendars/cn',
      'POST /api/v1/business-date/advance',
      'POST /api/v1/business-date/advance',
    ]);
    expect(calls[1]?.[1]?.body).toBe(JSON.stringify({ kind: 'holiday', name: '国庆节' }));
    expect(calls[3]?.[1]?.body).toBe(JSON.stringify({ days: [{ date: '2027-01-01', kind: 'holiday', name: '元旦' }] }));
    expect((calls[4]?.[1]?.headers as Record<string, string>)['If-Match']).toBe('"4"');
    expect(calls[5]?.[1]?.body).toBe('{}');
    expect(calls[6]?.[1]?.body).toBe(JSON.stringify({ to: '2026-12-08' }));
  });
});

describe('working days', () => {
  const monToFri = [1, 2, 3, 4, 5];
  it('follow the work week unless the day is a holiday or a make-up working day', () => {
    expect(isoWeekday(dayjs('2026-10-04'))).toBe(7);
    expect(isWorkingDay(dayjs('2026-10-09'), undefined, monToFri)).toBe(true);
    expect(isWorkingDay(dayjs('2026-10-10'), undefined, monToFri)).toBe(false);
    expect(isWorkingDay(dayjs('2026-10-01'), { date: '2026-10-01', kind: 'holiday', name: '国庆节' }, monToFri)).toBe(false);
    expect(isWorkingDay(dayjs('2026-10-10'), { date: '2026-10-10', kind: 'workday', name: '国庆节调休' }, monToFri)).toBe(true);
    expect(isWorkingDay(dayjs('2026-10-10'), undefined, [1, 2, 3, 4, 5, 6])).toBe(true);
  });
});

describe('parseYearDays', () => {
  it('reads a year sorted by date, names trimmed', () => {
    const text = JSON.stringify([
      { date: '2026-10-10', kind: 'workday', name: ' 国庆节调休 ' },
      { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
      { date: '2026-10-02', kind: 'holiday' },
    ]);
    expect(parseYearDays(text, 2026)).toEqual({
      days: [
        { date: '2026-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2026-10-02', kind: 'holiday', name: '' },
        { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
      ],
      problems: [],
    });
  });
  it('refuses what is not a non-empty JSON array', () => {
    expect(parseYearDays('[{', 2026).problems).toEqual([{ index: -1, code: 'invalid_json' }]);
    expect(parseYearDays('{"date": "2026-01-01"}', 2026).problems).toEqual([{ index: -1, code: 'not_array' }]);
    expect(parseYearDays('[]', 2026).problems).toEqual([{ index: -1, code: 'empty' }]);
  });
  it('names every bad entry and imports nothing then', () => {
    const text = JSON.stringify([
      { date: '2026-02-30', kind: 'holiday', name: 'x' },
      { date: '2025-12-31', kind: 'holiday', name: 'x' },
      { date: '2026-05-01', kind: 'rest', name: 'x' },
      { date: '2026-05-02', kind: 'holiday', name: 5 },
      { date: '2026-05-03', kind: 'holiday', name: '长'.repeat(51) },
      { date: '2026-05-04', kind: 'holiday', name: '劳动节' },
      { date: '2026-05-04', kind: 'workday', name: '劳动节' },
      'x',
      { date: '2026/05/05', kind: 'holiday', name: 'x' },
    ]);
    const r = parseYearDays(text, 2026);
    expect(r.days).toEqual([]);
    expect(r.problems).toEqual([
      { index: 0, code: 'invalid_date' },
      { index: 1, code: 'other_year' },
      { index: 2, code: 'invalid_kind' },
      { index: 3, code: 'invalid_name' },
      { index: 4, code: 'name_too_long' },
      { index: 6, code: 'duplicate' },
      { index: 7, code: 'not_object' },
      { index: 8, code: 'invalid_date' },
    ]);
  });
});

describe('workingHoursProblem', () => {
  it('wants HH:mm periods, each starting before it ends, in order without overlap', () => {
    expect(workingHoursProblem([{ start: '09:00', end: '12:00' }, { start: '13:30', end: '17:30' }])).toBeUndefined();
    expect(workingHoursProblem([{ start: '09:00', end: '12:00' }, { start: '12:00', end: '17:30' }])).toBeUndefined();
    expect(workingHoursProblem([])).toBe('none');
    expect(workingHoursProblem([{ start: '9:00', end: '12:00' }])).toBe('invalid_time');
    expect(workingHoursProblem([{ start: '09:00', end: '24:00' }])).toBe('invalid_time');
    expect(workingHoursProblem([{ start: '12:00', end: '09:00' }])).toBe('start_after_end');
    expect(workingHoursProblem([{ start: '09:00', end: '12:00' }, { start: '11:00', end: '17:00' }])).toBe('overlap');
  });
});
