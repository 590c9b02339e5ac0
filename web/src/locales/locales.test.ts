import { describe, expect, it } from 'vitest';
import zh from './zh-CN.json';
import en from './en-US.json';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locales', () => {
  it('have the same keys in both languages', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
});
