import { describe, expect, it } from 'vitest';
import { isValidBankCard, isValidCreditCode, isValidMobile, isValidResidentId } from './validators';

describe('isValidResidentId', () => {
  it('accepts a number with the right check digit', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true);
    expect(isValidResidentId('110101199003074477')).toBe(true);
  });
  it('rejects a wrong check digit', () => {
    expect(isValidResidentId('110101199003074478')).toBe(false);
  });
  it('rejects an impossible birth date and a short number', () => {
    expect(isValidResidentId('110101199002304471')).toBe(false);
    expect(isValidResidentId('1101011990')).toBe(false);
  });
  it('accepts a lower-case x check character', () => {
    expect(isValidResidentId('11010519491231002x')).toBe(true);
  });
});

describe('isValidCreditCode', () => {
  it('accepts a valid code', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
  });
  it('rejects a wrong check character and forbidden letters', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100I000100Y43')).toBe(false);
  });
});

describe('isValidMobile', () => {
  it('accepts mainland mobiles with or without +86', () => {
    expect(isValidMobile('13800138000')).toBe(true);
    expect(isValidMobile('+86 138 0013 8000')).toBe(true);
  });
  it('rejects landlines and short numbers', () => {
    expect(isValidMobile('12800138000')).toBe(false);
    expect(isValidMobile('1380013800')).toBe(false);
  });
});

describe('isValidBankCard', () => {
  it('uses the Luhn check', () => {
    expect(isValidBankCard('6222020200112345675')).toBe(isLuhn('6222020200112345675'));
    expect(isValidBankCard('4111111111111111')).toBe(true);
    expect(isValidBankCard('4111111111111112')).toBe(false);
  });
});

function isLuhn(s: string): boolean {
  let sum = 0;
  [...s].reverse().forEach((c, i) => {
    let n = Number(c);
    if (i % 2) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  });
  return sum % 10 === 0;
}
