import dayjs from 'dayjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AssignableUser, EntityField } from '../../../api/types';
import { dayEnd, dayStart } from '../../../utils/format';
import { isPartialPhone, isSortable, loadFilterState, phoneTailOf, saveFilterState, toQuery } from './service';
import { hiddenFilterCount } from './components/CustomerFilters';

function field(extra: Partial<EntityField>): EntityField {
  return { name: 'f', label: { 'zh-CN': 'f', 'en-US': 'f' }, type: 'date', ...extra };
}

describe('isSortable', () => {
  it('sorts by a sortable field', () => {
    expect(isSortable(field({ sortable: true }), false)).toBe(true);
    expect(isSortable(field({ sortable: false }), true)).toBe(false);
    expect(isSortable(undefined, true)).toBe(false);
  });
  it('sorts by a date masked to its year only for a user who may see it unmasked', () => {
    const birthDate = field({ name: 'birth_date', sortable: true, masked_to_year: true });
    expect(isSortable(birthDate, false)).toBe(false);
    expect(isSortable(birthDate, true)).toBe(true);
  });
});

describe('toQuery', () => {
  const days = { dayStart: (d: string) => dayStart(d, '+08:00'), dayEnd: (d: string) => dayEnd(d, '+08:00') };
  it('sends the phone tail and trims the texts', () => {
    expect(toQuery({ phone_tail: ' 8000 ', q: ' 张 ' }, undefined, days)).toMatchObject({ phone_tail: '8000', q: '张', sort: '-created_at' });
  });
  it('bounds the creation dates by whole days of the business zone', () => {
    const q = toQuery({ created: [dayjs('2026-12-01'), dayjs('2026-12-03')] }, undefined, days);
    expect(q['created_at.from']).toBe('2026-12-01T00:00:00+08:00');
    expect(q['created_at.to']).toBe('2026-12-03T23:59:59+08:00');
  });
});

describe('a partly typed phone', () => {
  it('is any text the server would not take as a whole mobile number', () => {
    expect(isPartialPhone('8000')).toBe(true);
    expect(isPartialPhone('138 0013')).toBe(true);
    expect(isPartialPhone('13800138000')).toBe(false);
    expect(isPartialPhone('+86 138-0013-8000')).toBe(false);
    expect(isPartialPhone('  ')).toBe(false);
    expect(isPartialPhone(undefined)).toBe(false);
  });
  it('offers its last four digits for the tail search', () => {
    expect(phoneTailOf('138-0013-8')).toBe('0138');
    expect(phoneTailOf('8000')).toBe('8000');
    expect(phoneTailOf('138')).toBeUndefined();
  });
});

describe('remembered filters', () => {
  afterEach(() => localStorage.clear());
  const owner: AssignableUser = {
    id: 7,
    username: 'am.east',
    display_name: '李明',
    department: { id: 4, name: '华东分部', path_names: '总部 / 华东分部' },
    roles: [{ key: 'account_manager', name: '客户经理' }],
  };

  it('come back for the same user, dates and the chosen manager included', () => {
    saveFilterState(1, { values: { q: '张', owner_id: 7, tags: ['vip'], created: [dayjs('2026-12-01'), dayjs('2026-12-03')] }, collapsed: false, owner });
    const back = loadFilterState(1);
    expect(back.collapsed).toBe(false);
    expect(back.owner).toEqual(owner);
    expect(back.values.q).toBe('张');
    expect(back.values.owner_id).toBe(7);
    expect(back.values.tags).toEqual(['vip']);
    expect(back.values.created?.map((d) => d?.format('YYYY-MM-DD'))).toEqual(['2026-12-01', '2026-12-03']);
  });
  it("are not another user's", () => {
    saveFilterState(1, { values: { q: '张' }, collapsed: false });
    expect(loadFilterState(2)).toEqual({ values: {}, collapsed: true });
  });
  it('drop what storage holds in the wrong shape', () => {
    localStorage.setItem('oc.customers.filters.3', JSON.stringify({ values: { q: 5, owner_id: 'x', tags: [1, 'new'] }, owner: { id: 9 } }));
    const back = loadFilterState(3);
    expect(back.values).toMatchObject({ q: undefined, owner_id: undefined, tags: ['new'] });
    expect(back.owner).toBeUndefined();
    localStorage.setItem('oc.customers.filters.4', '{not json');
    expect(loadFilterState(4)).toEqual({ values: {}, collapsed: true });
  });
});

describe('hiddenFilterCount', () => {
  it('counts the filters set that the collapsed bar hides', () => {
    expect(hiddenFilterCount({ q: '张', phone_tail: '8000', risk_level: 'high', tags: [], status: '' })).toBe(1);
  });
});
