// Money, percentages, dates and times as a lender reads them: the one place the app turns the
// API's values into text. Amounts are the API's decimal strings ("1234567.89") and are handled as
// integer fen (BigInt), never as a double. Instants are shown in the configured business zone
// (`time_zone` of /api/v1/auth/me, an offset such as "+08:00"), so every user sees the branch's
// clock whatever their computer's zone; without a zone the browser's own is used.
import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import i18n from '../i18n';

dayjs.extend(utc);

/** Minutes east of UTC of an offset "+08:00", "-05:30", "+0800" or "Z"; undefined for anything else. */
export function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return undefined;
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 14 || Number(m[3]) > 59) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

function inZone(instant: string, zone: string | undefined): Dayjs | undefined {
  const d = dayjs(instant);
  if (!d.isValid()) return undefined;
  const offset = zoneOffsetMinutes(zone);
  return offset === undefined ? d : d.utcOffset(offset);
}

const BUSINESS_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An instant as "2026-12-03 09:30" (with seconds when asked) in the zone; text that is no instant as it is. */
export function formatDateTime(instant: string | null | undefined, zone: string | undefined, seconds = false): string {
  if (!instant) return '';
  const d = inZone(instant, zone);
  return d ? d.format(seconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm') : instant;
}

/**
 * A date as "2026-12-03". A business date (already a calendar date) is shown as it is; an instant
 * becomes the calendar date it falls on in the zone; anything else (a masked "1990-**-**") as it is.
 */
export function formatDate(value: string | null | undefined, zone: string | undefined): string {
  if (!value) return '';
  if (BUSINESS_DATE.test(value)) return value;
  return inZone(value, zone)?.format('YYYY-MM-DD') ?? value;
}

/** Today's calendar date in the zone, "2026-12-03". */
export function businessToday(zone: string | undefined, now: Date = new Date()): string {
  return formatDate(now.toISOString(), zone);
}

/** The zone's offset text for a query ("+08:00"), or the browser's own for that date. */
function offsetText(date: string, zone: string | undefined): string {
  const offset = zoneOffsetMinutes(zone) ?? dayjs(date).utcOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The first instant of a calendar date in the zone, for a "from" filter: "2026-12-03T00:00:00+08:00". */
export function dayStart(date: string, zone: string | undefined): string {
  return `${date}T00:00:00${offsetText(date, zone)}`;
}

/** The last second of a calendar date in the zone, for a "to" filter: "2026-12-03T23:59:59+08:00". */
export function dayEnd(date: string, zone: string | undefined): string {
  return `${date}T23:59:59${offsetText(date, zone)}`;
}

/**
 * The instant a date and time picked in the app stand for: the picker's wall time read on the
 * business zone's clock ("2026-12-03 09:30" → "2026-12-03T09:30:00+08:00"), as instants are shown,
 * whatever the computer's zone. Without a zone, the browser's own (as a UTC instant).
 */
export function businessInstant(wall: Dayjs, zone: string | undefined): string {
  if (zoneOffsetMinutes(zone) === undefined) return wall.toDate().toISOString();
  const date = wall.format('YYYY-MM-DD');
  return `${date}T${wall.format('HH:mm:ss')}${offsetText(date, zone)}`;
}

interface Amount {
  negative: boolean;
  fen: bigint;
}

/** The API's decimal amount ("-1234.5", "100000.00") as fen; null when it is no such amount. */
function parseAmount(value: string | number): Amount | null {
  const m = /^(-)?(\d+)(?:\.(\d{1,2}))?$/.exec(String(value).trim());
  if (!m || m[2] === undefined) return null;
  const fen = BigInt(m[2]) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return { negative: m[1] === '-' && fen !== 0n, fen };
}

function grouped(integer: bigint): string {
  return integer.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Hundredths as "12,345.67". */
function twoDecimals(hundredths: bigint, negative: boolean): string {
  const text = `${grouped(hundredths / 100n)}.${String(hundredths % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

/** An amount with thousands separators and its currency: "1,234,567.89 元", "CNY 1,234,567.89". */
export function formatMoney(value: string | number | null | undefined, language: string): string {
  if (value === null || value === undefined || value === '') return '';
  const a = parseAmount(value);
  if (!a) return String(value);
  return i18n.t('format.yuan', { amount: twoDecimals(a.fen, a.negative), lng: language });
}

// The unit a summary counts large amounts in: 万元 in Chinese, millions in English.
const SUMMARY_UNIT_FEN: Record<string, bigint> = { 'zh-CN': 1_000_000n, 'en-US': 100_000_000n };

/**
 * An amount for a summary: from one unit up in that unit, two decimals, halves rounded away from
 * zero ("123.46 万元" for 1,234,567.89 元); smaller amounts as formatMoney.
 */
export function formatMoneySummary(value: string | number | null | undefined, language: string): string {
  if (value === null || value === undefined || value === '') return '';
  const a = parseAmount(value);
  if (!a) return String(value);
  const unit = SUMMARY_UNIT_FEN[language] ?? 1_000_000n;
  if (a.fen < unit) return formatMoney(value, language);
  // Hundredths of the unit, rounded half up: (fen * 100 + unit / 2) / unit.
  const hundredths = (a.fen * 100n + unit / 2n) / unit;
  return i18n.t('format.summary', { amount: twoDecimals(hundredths, a.negative), lng: language });
}

/** A percentage as "12.5%": trailing zeros of the decimals dropped; text that is no number as it is. */
export function formatPercent(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const text = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return `${trimmed}%`;
}
