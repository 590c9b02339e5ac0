import { afterEach, describe, expect, it } from 'vitest';
import { forgetCustomer, RECENT_LIMIT, recentCustomers, recordCustomerView } from './recent';

afterEach(() => localStorage.clear());

describe('recently viewed customers', () => {
  it('lists the latest first, each customer once', () => {
    recordCustomerView(1, { id: 10, name: '张三', type: 'individual' }, new Date('2026-12-03T01:00:00Z'));
    recordCustomerView(1, { id: 11, name: '恒信科技', type: 'enterprise' }, new Date('2026-12-03T02:00:00Z'));
    recordCustomerView(1, { id: 10, name: '张三', type: 'individual' }, new Date('2026-12-03T03:00:00Z'));
    expect(recentCustomers(1).map((c) => [c.id, c.viewed_at])).toEqual([
      [10, '2026-12-03T03:00:00.000Z'],
      [11, '2026-12-03T02:00:00.000Z'],
    ]);
  });
  it('keeps each user their own', () => {
    recordCustomerView(1, { id: 10, name: '张三', type: 'individual' });
    expect(recentCustomers(2)).toEqual([]);
  });
  it(`keeps the ${RECENT_LIMIT} latest`, () => {
    for (let i = 0; i < RECENT_LIMIT + 3; i++) recordCustomerView(1, { id: i, name: `客户${i}`, type: 'individual' });
    const list = recentCustomers(1);
    expect(list).toHaveLength(RECENT_LIMIT);
    expect(list[0]?.id).toBe(RECENT_LIMIT + 2);
  });
  it('forgets a customer that is gone', () => {
    recordCustomerView(1, { id: 10, name: '张三', type: 'individual' });
    forgetCustomer(1, 10);
    expect(recentCustomers(1)).toEqual([]);
  });
  it('ignores what storage holds in the wrong shape', () => {
    localStorage.setItem('oc.recent-customers.1', JSON.stringify([{ id: '10' }, { id: 3, name: '李四', type: 'individual', viewed_at: 'x' }]));
    expect(recentCustomers(1).map((c) => c.id)).toEqual([3]);
    localStorage.setItem('oc.recent-customers.1', 'oops');
    expect(recentCustomers(1)).toEqual([]);
  });
});
