import { describe, expect, it } from 'vitest';
import type { EntityField } from '../../../api/types';
import { editValues, toFieldPatch } from './service';

const wechat: EntityField = { name: 'wechat_id', label: { 'zh-CN': '微信号', 'en-US': 'WeChat ID' }, type: 'text', builtin: false, max_length: 40 };
const grade: EntityField = {
  name: 'grade',
  label: { 'zh-CN': '等级', 'en-US': 'Grade' },
  type: 'single_select',
  builtin: false,
  options: [{ value: 'a', label: { 'zh-CN': '甲', 'en-US': 'A' } }],
};
const name: EntityField = { name: 'name', label: { 'zh-CN': '客户名称', 'en-US': 'Name' }, type: 'text', builtin: true, required: true, max_length: 100 };

describe('toFieldPatch', () => {
  it('sends only the label of a built-in field, which refuses the rest', () => {
    const v = { ...editValues(name), label_zh: ' 客户全称 ', required: false, max_length: 10 };
    expect(toFieldPatch(name, v)).toEqual({ label: { 'zh-CN': '客户全称', 'en-US': 'Name' } });
  });
  it("sends a custom text field's required flag and length limit", () => {
    expect(toFieldPatch(wechat, { ...editValues(wechat), required: true, max_length: 30 })).toEqual({
      label: { 'zh-CN': '微信号', 'en-US': 'WeChat ID' },
      required: true,
      max_length: 30,
    });
    expect(toFieldPatch(wechat, { ...editValues(wechat), max_length: null }).max_length).toBeNull();
  });
  it("sends a custom select field's options, without a length limit", () => {
    const v = { ...editValues(grade), options: [...(editValues(grade).options ?? []), { value: ' b ', zh: '乙', en: 'B' }] };
    expect(toFieldPatch(grade, v)).toEqual({
      label: { 'zh-CN': '等级', 'en-US': 'Grade' },
      required: false,
      options: [
        { value: 'a', label: { 'zh-CN': '甲', 'en-US': 'A' } },
        { value: 'b', label: { 'zh-CN': '乙', 'en-US': 'B' } },
      ],
    });
  });
});
