// Entity metadata (GET /api/v1/entities/{key}), shared by the pages that render from it.
import { useQuery } from '@tanstack/react-query';
import { http } from '../api/request';
import type { FieldLabeler } from '../api/errors';
import type { Entity, EntityField, LocalizedName } from '../api/types';

export function fetchEntity(key: string): Promise<Entity> {
  return http.get<Entity>(`/api/v1/entities/${encodeURIComponent(key)}`);
}

export function useEntity(key: string) {
  return useQuery({ queryKey: ['entity', key], queryFn: () => fetchEntity(key), staleTime: 60_000 });
}

export function localized(name: LocalizedName | undefined, language: string): string {
  if (!name) return '';
  return language === 'en-US' ? name['en-US'] || name['zh-CN'] : name['zh-CN'] || name['en-US'];
}

export function optionLabel(field: EntityField | undefined, value: unknown, language: string): string {
  if (value === null || value === undefined || value === '') return '';
  const v = String(value);
  const opt = field?.options?.find((o) => o.value === v);
  return opt ? localized(opt.label, language) : v;
}

/**
 * The fields forms and pages show: an archived field keeps its data (the timeline and the audit
 * log still name it) but leaves forms and lists.
 */
export function activeFields(entity: Entity): EntityField[] {
  return entity.fields.filter((f) => !f.archived);
}

export function fieldMap(entity: Entity | undefined): Map<string, EntityField> {
  return new Map((entity?.fields ?? []).map((f) => [f.name, f]));
}

/** Names an entity's fields by their labels in an error message ("证件号码", not id_number). */
export function entityLabeler(entity: Entity | undefined, language: string): FieldLabeler {
  const fields = fieldMap(entity);
  return (name) => {
    const f = fields.get(name);
    return f ? localized(f.label, language) : undefined;
  };
}

export const CUSTOMER_TYPES = ['individual', 'enterprise'] as const;
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** Fields of section "individual" apply to individuals only, "enterprise" to enterprises only. */
export function appliesTo(field: EntityField, type: CustomerType): boolean {
  if (field.section === 'individual') return type === 'individual';
  if (field.section === 'enterprise') return type === 'enterprise';
  return true;
}
