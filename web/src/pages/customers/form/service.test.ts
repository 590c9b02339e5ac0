import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { Customer, EntityField } from '../../../api/types';
import { ApiError } from '../../../api/request';
import { buildBody, changedBody, duplicateOf, initialValues, toFormValue } from './service';
import type { CustomerFormValues } from './types';

function field(name: string, type: string, extra: Partial<EntityField> = {}): EntityField {
  return { name, label: { 'zh-CN': name, 'en-US': name }, type, ...extra };
}

const phone = field('phone', 'text', { sensitive: true, format: 'mobile' });
const occupation = field('occupation', 'text');
const remarks = field('remarks', 'long_text');
const tags = field('tags', 'multi_select');
const birthDate = field('birth_date', 'date');
const income = field('monthly_income', 'money');
const fields = [phone, occupation, remarks, tags, birthDate, income];

const stored = {
  id: 7,
  type: 'individual',
  name: '张三',
  phone: '139****1234',
  occupation: '教师',
  remarks: '老客户',
  tags: ['vip', 'new'],
  birth_date: '1990-05-01',
  monthly_income: '8000.00',
} as unknown as Customer;

const initial = initialValues(fields, stored);

function edit(changes: CustomerFormValues): Record<string, unknown> {
  return changedBody(fields, initial, { ...initial, ...changes });
}

describe('initialValues', () => {
  it('starts a sensitive field empty instead of with its mask', () => {
    expect(initial.phone).toBeUndefined();
    expect(initial.occupation).toBe('教师');
  });
});

describe('changedBody', () => {
  it('sends nothing when nothing changed', () => {
    expect(edit({})).toEqual({});
  });

  it('leaves out a sensitive field typed into and cleared again', () => {
    expect(edit({ phone: '' })).toEqual({});
    expect(edit({ phone: '   ' })).toEqual({});
    expect(edit({ phone: null })).toEqual({});
  });

  it('sends a sensitive field given a new value', () => {
    expect(edit({ phone: '13800138000' })).toEqual({ phone: '13800138000' });
  });

  it('leaves out a field changed back to its original value, or only padded with spaces', () => {
    expect(edit({ occupation: '教师' })).toEqual({});
    expect(edit({ occupation: ' 教师 ' })).toEqual({});
  });

  it('sends only the changed field', () => {
    expect(edit({ occupation: '医生', phone: '' })).toEqual({ occupation: '医生' });
  });

  it('sends null for a non-sensitive optional field cleared from a value', () => {
    expect(edit({ remarks: '' })).toEqual({ remarks: null });
    expect(edit({ remarks: null })).toEqual({ remarks: null });
  });

  it('leaves out a field that had no value and was typed into and cleared again', () => {
    const empty = initialValues(fields, { ...stored, remarks: null } as unknown as Customer);
    expect(changedBody(fields, empty, { ...empty, remarks: '' })).toEqual({});
  });

  it('compares arrays element by element, order included', () => {
    expect(edit({ tags: ['vip', 'new'] })).toEqual({});
    expect(edit({ tags: ['vip'] })).toEqual({ tags: ['vip'] });
    expect(edit({ tags: ['new', 'vip'] })).toEqual({ tags: ['new', 'vip'] });
    expect(edit({ tags: [] })).toEqual({ tags: [] });
  });

  it('compares dates by their YYYY-MM-DD form', () => {
    expect(edit({ birth_date: dayjs('1990-05-01T15:30:00') })).toEqual({});
    expect(edit({ birth_date: dayjs('1990-05-02') })).toEqual({ birth_date: '1990-05-02' });
  });

  it('compares money by the string the API takes', () => {
    expect(edit({ monthly_income: '8000.00' })).toEqual({});
    expect(edit({ monthly_income: '9000.00' })).toEqual({ monthly_income: '9000.00' });
  });
});

describe('a masked birth date', () => {
  const masked = { ...stored, birth_date: '1990-**-**' } as unknown as Customer;
  const start = initialValues(fields, masked);

  it('is no form value', () => {
    expect(toFormValue(birthDate, '1990-**-**')).toBeUndefined();
    expect(toFormValue(birthDate, 'not a date')).toBeUndefined();
    expect(start.birth_date).toBeUndefined();
    expect(dayjs.isDayjs(toFormValue(birthDate, '1990-05-01'))).toBe(true);
  });

  it('is not sent unless the user picks a date', () => {
    expect(changedBody(fields, start, start)).toEqual({});
    expect(changedBody(fields, start, { ...start, birth_date: null })).toEqual({});
    expect(changedBody(fields, start, { ...start, birth_date: dayjs('1991-02-03') })).toEqual({ birth_date: '1991-02-03' });
  });
});

describe('buildBody', () => {
  it('sends every field with a value and drops the empty ones on create', () => {
    const values = { phone: ' 13800138000 ', occupation: '', remarks: null, tags: [], birth_date: dayjs('1990-05-01') };
    expect(buildBody(fields, values)).toEqual({ phone: '13800138000', birth_date: '1990-05-01' });
  });
});

describe('duplicateOf', () => {
  const conflict = (extra: object) =>
    new ApiError({
      status: 409,
      code: 'already_exists',
      errors: [{ field: 'credit_code', code: 'duplicate', message: '该统一社会信用代码已登记为客户 恒信科技（客户经理 李明）' }],
      ...extra,
    } as ConstructorParameters<typeof ApiError>[0]);

  it('reads the field and the existing customer from a 409', () => {
    const d = duplicateOf(conflict({ existing_id: 202, existing_name: '恒信科技', existing_owner_name: '李明', may_open: true }));
    expect(d).toEqual({ field: 'credit_code', existing_id: 202, existing_name: '恒信科技', existing_owner_name: '李明', may_open: true });
  });
  it('does not offer to open a customer outside the scope', () => {
    expect(duplicateOf(conflict({ existing_id: 202, existing_name: '恒信科技', existing_owner_name: '李明', may_open: false }))?.may_open).toBe(false);
  });
  it('is null for any other error', () => {
    expect(duplicateOf(conflict({}))).toBeNull();
    expect(duplicateOf(new ApiError({ status: 422, code: 'invalid_argument' }))).toBeNull();
    expect(duplicateOf(new Error('x'))).toBeNull();
  });
});
