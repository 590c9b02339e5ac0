import { http } from '../../../api/request';
import type { EntityField } from '../../../api/types';
import type { NewFieldValues } from './types';

export function toFieldBody(v: NewFieldValues): EntityField {
  const select = v.type === 'single_select' || v.type === 'multi_select';
  return {
    name: v.name.trim(),
    label: { 'zh-CN': v.label_zh.trim(), 'en-US': v.label_en.trim() },
    type: v.type,
    format: v.format && v.format !== 'none' ? v.format : undefined,
    section: v.section || undefined,
    required: v.required ?? false,
    sensitive: v.sensitive ?? false,
    options: select ? (v.options ?? []).map((o) => ({ value: o.value.trim(), label: { 'zh-CN': o.zh.trim(), 'en-US': o.en.trim() } })) : undefined,
  };
}

export const addField = (entity: string, v: NewFieldValues) => http.post<EntityField>(`/api/v1/entities/${entity}/fields`, toFieldBody(v));
