import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import {
  businessInstant,
  businessToday,
  dayEnd,
  dayStart,
  formatDate,
  formatDateTime,
  formatMoney,
  formatMoneySummary,
  formatPercent,
  zoneOffsetMinutes,
} from './format';

describe('formatMoney', () => {
  it('groups thousands and names the currency', () => {
    expect(formatMoney('1234567.89', 'zh-CN')).toBe('1,234,567.89 元');
    expect(formatMoney('1234567.89', 'en-US')).toBe('CNY 1,234,567.89');
  });
  it('always shows two decimals, to the fen', () => {
    expect(formatMoney('100000', 'zh-CN')).toBe('100,000.00 元');
    expect(formatMoney('0.5', 'zh-CN')).toBe('0.50 元');
    expect(formatMoney('999.00', 'zh-CN')).toBe('999.00 元');
  });
  it('is exact beyond what a double holds', () => {
    expect(formatMoney('92233720368547758.07', 'zh-CN')).toBe('92,233,720,368,547,758.07 元');
  });
  it('keeps the sign of a negative amount, and none on zero', () => {
    expect(formatMoney('-1234.50', 'zh-CN')).toBe('-1,234.50 元');
    expect(formatMoney('-0.00', 'zh-CN')).toBe('0.00 元');
  });
  it('shows nothing for no value and text that is no amount as it is', () => {
    expect(formatMoney(null, 'zh-CN')).toBe('');
    expect(formatMoney('', 'zh-CN')).toBe('');
    expect(formatMoney('***', 'zh-CN')).toBe('***');
    expect(formatMoney('1.005', 'zh-CN')).toBe('1.005');
  });
});

describe('formatMoneySummary', () => {
  it('counts large amounts in 万元 with two decimals, halves rounded up', () => {
    expect(formatMoneySummary('1234567.89', 'zh-CN')).toBe('123.46 万元');
    expect(formatMoneySummary('10000.00', 'zh-CN')).toBe('1.00 万元');
    expect(formatMoneySummary('12345.00', 'zh-CN')).toBe('1.23 万元');
    expect(formatMoneySummary('12350.00', 'zh-CN')).toBe('1.24 万元');
    expect(formatMoneySummary('1234567890123.45', 'zh-CN')).toBe('123,456,789.01 万元');
  });
  it('shows amounts under one unit in full', () => {
    expect(formatMoneySummary('9999.99', 'zh-CN')).toBe('9,999.99 元');
  });
  it('counts in millions in English', () => {
    expect(formatMoneySummary('1234567.89', 'en-US')).toBe('CNY 1.23 million');
    expect(formatMoneySummary('234567.89', 'en-US')).toBe('CNY 234,567.89');
  });
});

describe('formatPercent', () => {
  it('drops trailing zeros of the decimals', () => {
    expect(formatPercent('30.00')).toBe('30%');
    expect(formatPercent('12.50')).toBe('12.5%');
    expect(formatPercent('100')).toBe('100%');
    expect(formatPercent(7.25)).toBe('7.25%');
  });
  it('shows nothing for no value and other text as it is', () => {
    expect(formatPercent(undefined)).toBe('');
    expect(formatPercent('n/a')).toBe('n/a');
  });
});

describe('zoneOffsetMinutes', () => {
  it('reads the offsets the server configures', () => {
    expect(zoneOffsetMinutes('+08:00')).toBe(480);
    expect(zoneOffsetMinutes('-05:30')).toBe(-330);
    expect(zoneOffsetMinutes('+0800')).toBe(480);
    expect(zoneOffsetMinutes('Z')).toBe(0);
  });
  it('refuses what is no offset', () => {
    expect(zoneOffsetMinutes('Asia/Shanghai')).toBeUndefined();
    expect(zoneOffsetMinutes('+25:00')).toBeUndefined();
    expect(zoneOffsetMinutes(undefined)).toBeUndefined();
  });
});

describe('formatDateTime', () => {
  it('shows an instant on the business zone clock, whatever the browser zone', () => {
    expect(formatDateTime('2026-12-03T17:30:00Z', '+08:00')).toBe('2026-12-04 01:30');
    expect(formatDateTime('2026-12-03T17:30:05+00:00', '+08:00', true)).toBe('2026-12-04 01:30:05');
    expect(formatDateTime('2026-12-04T01:30:00+08:00', '-05:00')).toBe('2026-12-03 12:30');
  });
  it('shows nothing for no value and text that is no instant as it is', () => {
    expect(formatDateTime(null, '+08:00')).toBe('');
    expect(formatDateTime('soon', '+08:00')).toBe('soon');
  });
});

describe('formatDate', () => {
  it('shows a business date as it is, without moving it through a zone', () => {
    expect(formatDate('2026-12-03', '-10:00')).toBe('2026-12-03');
  });
  it('shows the calendar date an instant falls on in the zone', () => {
    expect(formatDate('2026-12-03T16:30:00Z', '+08:00')).toBe('2026-12-04');
    expect(formatDate('2026-12-03T16:30:00Z', '+00:00')).toBe('2026-12-03');
  });
  it('shows a date masked to its year as it is', () => {
    expect(formatDate('1990-**-**', '+08:00')).toBe('1990-**-**');
  });
});

describe('business days', () => {
  it('takes today from the zone', () => {
    const now = new Date('2026-12-03T20:00:00Z');
    expect(businessToday('+08:00', now)).toBe('2026-12-04');
    expect(businessToday('+00:00', now)).toBe('2026-12-03');
  });
  it('bounds a calendar date in the zone for range filters', () => {
    expect(dayStart('2026-12-03', '+08:00')).toBe('2026-12-03T00:00:00+08:00');
    expect(dayEnd('2026-12-03', '-05:30')).toBe('2026-12-03T23:59:59-05:30');
  });
});

describe('businessInstant', () => {
  it("reads a picked wall time on the business zone's clock, not the computer's", () => {
    const picked = dayjs('2026-12-05T09:30');
    expect(businessInstant(picked, '+08:00')).toBe('2026-12-05T09:30:00+08:00');
    expect(businessInstant(picked, '-05:30')).toBe('2026-12-05T09:30:00-05:30');
    expect(businessInstant(picked, undefined)).toBe(picked.toDate().toISOString());
  });
});
