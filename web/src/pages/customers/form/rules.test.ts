import type { FormInstance, FormRule } from 'antd';
import { describe, expect, it } from 'vitest';
import type { EntityField } from '../../../api/types';
import i18n from '../../../i18n';
import { rulesFor } from './rules';

function field(name: string, type: string, format?: string): EntityField {
  return { name, label: { 'zh-CN': name, 'en-US': name }, type, ...(format ? { format } : {}) };
}

/** What the field's rules make of `value`: undefined when accepted, else the message shown. */
async function verdict(f: EntityField, value: string, values: Record<string, unknown> = {}, type: 'individual' | 'enterprise' = 'individual'): Promise<string | undefined> {
  const form = { getFieldValue: (name: string) => values[name] } as unknown as FormInstance;
  for (const r of rulesFor(f, i18n.getFixedT('zh-CN'), f.name, false, type) as FormRule[]) {
    const rule = typeof r === 'function' ? r(form) : r;
    if (!rule.validator) continue;
    try {
      await rule.validator(rule, value, () => undefined);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

describe('rulesFor', () => {
  const idNumber = field('id_number', 'text', 'id_document');
  const income = field('monthly_income', 'money');

  it('accepts what the server standardises: a 15-digit and a full-width ID number', async () => {
    expect(await verdict(idNumber, '110105491231002')).toBeUndefined();
    expect(await verdict(idNumber, '１１０１０５１９４９１２３１００２Ｘ')).toBeUndefined();
  });

  it('names what is wrong with an ID number', async () => {
    expect(await verdict(idNumber, '990105199001010014')).toBe('身份证号码无效：前两位不是省级行政区划代码');
    expect(await verdict(idNumber, '110105194912310021')).toBe('身份证号码无效：末位校验码不正确，请核对整个号码');
  });

  it('checks another document type by its own rule', async () => {
    expect(await verdict(idNumber, 'Ｅ１２３４５６７８', { id_type: 'passport' })).toBeUndefined();
    expect(await verdict(idNumber, '110105194912310021', { id_type: 'passport' })).toBeUndefined();
    expect(await verdict(idNumber, 'E12', { id_type: 'passport' })).toBe('证件号码应为 5–20 位字母或数字');
  });

  it('checks the trimmed text, which is what the form sends', async () => {
    expect(await verdict(field('phone', 'text', 'mobile'), '\u00a013800138000\u00a0')).toBeUndefined();
    expect(await verdict(field('phone', 'text', 'mobile'), '138\u00a00013\u00a08000')).toBe('请输入有效的 11 位手机号码');
  });

  it('refuses an amount the server would refuse instead of rounding it', async () => {
    expect(await verdict(income, '1,000,000.00')).toBeUndefined();
    expect(await verdict(income, '１２００．５０')).toBeUndefined();
    expect(await verdict(income, '1.005')).toBe('金额最多保留两位小数（到分）');
    expect(await verdict(income, '-5')).toBe('金额不能为负数');
    expect(await verdict(income, '1,00,000')).toBe('金额格式不正确，应为数字，最多两位小数，如 100000.00');
    expect(await verdict(income, '92233720368547758.08')).toBe('金额超出可处理的范围');
  });

  it("takes an enterprise's landline where an individual's phone must be a mobile", async () => {
    const contactPhone = field('contact_phone', 'text', 'mobile');
    expect(await verdict(contactPhone, '0571-88886666-123', {}, 'enterprise')).toBeUndefined();
    expect(await verdict(contactPhone, '13800138000', {}, 'enterprise')).toBeUndefined();
    expect(await verdict(contactPhone, '8888-6666', {}, 'enterprise')).toBe('请输入有效的手机号码或固定电话（如 0571-88886666）');
    expect(await verdict(field('phone', 'text', 'mobile'), '021 6888 6666', {}, 'individual')).toBe('请输入有效的 11 位手机号码');
  });

  it('leaves an empty field to the required rule', async () => {
    expect(await verdict(income, '   ')).toBeUndefined();
  });
});
