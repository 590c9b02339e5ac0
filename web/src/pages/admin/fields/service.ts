import { http } from '../../../api/request';
import { etagOf } from '../../../api/etag';
import type { Entity, EntityField, FieldOption, FieldPatch } from '../../../api/types';
import { SELECT_TYPES, TEXT_TYPES, type EditFieldValues, type NewFieldValues, type OptionRow } from './types';

const toOption = (o: OptionRow): FieldOption => ({ value: o.value.trim(), label: { 'zh-CN': o.zh.trim(), 'en-US': o.en.trim() } });

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
    options: select ? (v.options ?? []).map(toOption) : undefined,
  };
}

export const addField = (entity: string, v: NewFieldValues) => http.post<EntityField>(`/api/v1/entities/${entity}/fields`, toFieldBody(v));

/** The edit dialog's starting values for a field. */
export function editValues(f: EntityField): EditFieldValues {
  return {
    label_zh: f.label['zh-CN'],
    label_en: f.label['en-US'],
    required: f.required ?? false,
    max_length: f.max_length ?? null,
    options: (f.options ?? []).map((o) => ({ value: o.value, zh: o.label['zh-CN'], en: o.label['en-US'] })),
  };
}

/**
 * The PATCH body for an edited field: a built-in field takes its label only (the server refuses
 * the rest); a custom one also its required flag, its text's maximum length and its options.
 */
export function toFieldPatch(f: EntityField, v: EditFieldValues): FieldPatch {
  const patch: FieldPatch = { label: { 'zh-CN': v.label_zh.trim(), 'en-US': v.label_en.trim() } };
  if (f.builtin) return patch;
  patch.required = v.required ?? false;
  if (TEXT_TYPES.includes(f.type)) patch.max_length = v.max_length ?? null;
  if (SELECT_TYPES.includes(f.type)) patch.options = (v.options ?? []).map(toOption);
  return patch;
}

/** Fields change under the entity's version: an edit made on a stale form is refused (412), not merged. */
export const patchField = (entity: Entity, field: string, patch: FieldPatch) =>
  http.patch<EntityField>(`/api/v1/entities/${entity.key}/fields/${encodeURIComponent(field)}`, patch, { headers: { 'If-Match': etagOf(entity.version) } });
