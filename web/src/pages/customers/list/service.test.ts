import { describe, expect, it } from 'vitest';
import type { EntityField } from '../../../api/types';
import { isSortable } from './service';

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
