// The formatters of utils/format.ts bound to the signed-in user's business zone and UI language,
// for pages to show money and dates one way.
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import {
  businessToday,
  dayEnd,
  dayStart,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneySummary,
  formatPercent,
} from '../utils/format';

export interface Formatters {
  money: (value: string | number | null | undefined) => string;
  moneySummary: (value: string | number | null | undefined) => string;
  percent: (value: string | number | null | undefined) => string;
  dateTime: (instant: string | null | undefined, seconds?: boolean) => string;
  date: (value: string | null | undefined) => string;
  /** Today in the business zone, "2026-12-03". */
  today: () => string;
  /** Bounds of a calendar date in the business zone, for "from"/"to" filters. */
  dayStart: (date: string) => string;
  dayEnd: (date: string) => string;
}

export function useFormat(): Formatters {
  const { timeZone } = useAuth();
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(
    () => ({
      money: (v) => formatMoney(v, language),
      moneySummary: (v) => formatMoneySummary(v, language),
      percent: formatPercent,
      dateTime: (v, seconds) => formatDateTime(v, timeZone, seconds),
      date: (v) => formatDate(v, timeZone),
      today: () => businessToday(timeZone),
      dayStart: (d) => dayStart(d, timeZone),
      dayEnd: (d) => dayEnd(d, timeZone),
    }),
    [language, timeZone],
  );
}
