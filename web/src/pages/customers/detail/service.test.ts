import { describe, expect, it } from 'vitest';
import type { Entity } from '../../../api/types';
import { formatDate, formatDateTime, formatMoney, formatPercent } from '../../../utils/format';
import { describeChange, toRelationInput } from './service';

const entity: Entity = {
  key: 'customer',
  label: { 'zh-CN': '客户', 'en-US': 'Customer' },
  version: 1,
  fields: [
    {
      name: 'risk_level',
      label: { 'zh-CN': '风险等级', 'en-US': 'Risk level' },
      type: 'single_select',
      options: [
        { value: 'low', label: { 'zh-CN': '低', 'en-US': 'Low' } },
        { value: 'high', label: { 'zh-CN': '高', 'en-US': 'High' } },
      ],
    },
    { name: 'owner_id', label: { 'zh-CN': '客户经理', 'en-US': 'Account manager' }, type: 'integer' },
    { name: 'monthly_income', label: { 'zh-CN': '月收入', 'en-US': 'Monthly income' }, type: 'money' },
    { name: 'birth_date', label: { 'zh-CN': '出生日期', 'en-US': 'Birth date' }, type: 'date' },
  ],
};

const format = {
  money: (v: string | number | null | undefined) => formatMoney(v, 'zh-CN'),
  percent: formatPercent,
  date: (v: string | null | undefined) => formatDate(v, '+08:00'),
  dateTime: (v: string | null | undefined) => formatDateTime(v, '+08:00'),
};

describe('describeChange', () => {
  it('names the field and its options', () => {
    expect(describeChange({ field: 'risk_level', before: 'low', after: 'high' }, entity, 'zh-CN', format)).toBe('风险等级：低 → 高');
    expect(describeChange({ field: 'risk_level', before: 'low', after: 'high' }, entity, 'en-US', format)).toBe('Risk level: Low → High');
  });
  it("prefers the server's names for ids and codes", () => {
    const change = { field: 'owner_id', before: 7, after: 9, before_display: '李明', after_display: '王芳' };
    expect(describeChange(change, entity, 'zh-CN', format)).toBe('客户经理：李明 → 王芳');
  });
  it('shows money and dates as lenders read them, and an empty side as a dash', () => {
    expect(describeChange({ field: 'monthly_income', before: null, after: '12000.00' }, entity, 'zh-CN', format)).toBe('月收入：— → 12,000.00 元');
    expect(describeChange({ field: 'birth_date', before: '1990-05-01', after: '1991-02-03' }, entity, 'zh-CN', format)).toBe('出生日期：1990-05-01 → 1991-02-03');
  });
  it('shows a field it does not know by its key', () => {
    expect(describeChange({ field: 'legacy', before: 'a', after: 'b' }, entity, 'zh-CN', format)).toBe('legacy：a → b');
  });
});

describe('toRelationInput', () => {
  it('sends a share for a shareholder only', () => {
    expect(toRelationInput({ mode: 'customer', role: 'shareholder', related_customer_id: 5, share_percent: ' 30.5 ' })).toEqual({
      role: 'shareholder',
      related_customer_id: 5,
      share_percent: '30.5',
      note: undefined,
    });
    expect(toRelationInput({ mode: 'customer', role: 'guarantor', related_customer_id: 5, share_percent: '30' }).share_percent).toBeUndefined();
  });
  it("sends a person's name, phone and ID number, leaving out what is empty", () => {
    expect(toRelationInput({ mode: 'person', role: 'spouse', person_name: ' 王芳 ', person_phone: '', person_id_number: '110105194912310021 ', note: ' ' })).toEqual({
      role: 'spouse',
      share_percent: undefined,
      note: undefined,
      person_name: '王芳',
      person_phone: undefined,
      person_id_number: '110105194912310021',
    });
  });
  it('sends no person fields for an existing customer', () => {
    expect(toRelationInput({ mode: 'customer', role: 'guarantor', related_customer_id: 9, person_name: '残留' })).not.toHaveProperty('person_name');
  });
});
