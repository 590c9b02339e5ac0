import { etagOf } from '../../../api/etag';
import { http } from '../../../api/request';
import type { Customer, CustomerDeletion, Entity, EntityField, FollowUp, Page, Relation, TimelineChange } from '../../../api/types';
import i18n from '../../../i18n';
import { localized, optionLabel } from '../../../services/entity';
import type { Formatters } from '../../../services/formatting';
import { SHAREHOLDER, type CustomerTimelineItem, type FollowUpInput, type RelationForm, type RelationInput } from './types';

const base = (id: string) => `/api/v1/customers/${encodeURIComponent(id)}`;

export const getCustomer = (id: string) => http.get<Customer>(base(id));
export const unmask = (id: string, fields: string[]) => http.post<Record<string, unknown>>(`${base(id)}/unmask`, { fields });
export const reassign = (id: string, ownerId: number) => http.post<void>(`${base(id)}/reassign`, { owner_id: ownerId });
/** Changes some fields of the customer as of `version` (If-Match): 412 when someone changed it meanwhile. */
export const patchCustomer = (id: string, body: Record<string, unknown>, version: number) =>
  http.patch<Customer>(base(id), body, { headers: { 'If-Match': etagOf(version) } });
export const deleteCustomer = (id: string, body: CustomerDeletion) => http.del<void>(base(id), { body });
export const listRelations = (id: string) => http.get<{ items: Relation[] }>(`${base(id)}/relations`);
export const addRelation = (id: string, input: RelationInput) => http.post<Relation>(`${base(id)}/relations`, input);
export const removeRelation = (id: string, relationId: number) => http.del<void>(`${base(id)}/relations/${relationId}`);
export const listFollowUps = (id: string) => http.get<{ items: FollowUp[] }>(`${base(id)}/followups`);
export const addFollowUp = (id: string, input: FollowUpInput) => http.post<FollowUp>(`${base(id)}/followups`, input);
export const timeline = (id: string, cursor?: string) => http.get<Page<CustomerTimelineItem>>(`${base(id)}/timeline`, { limit: 50, cursor });
export const searchCustomers = (q: string) => http.get<Page<Customer>>('/api/v1/customers', { q, limit: 10 });

/** A timeline entry's key, unique across kinds: a to-do's by its own id, the others by theirs. */
export function timelineKey(item: CustomerTimelineItem): string {
  return item.kind === 'todo' ? `todo-${item.todo.id}` : `${item.kind}-${item.id}`;
}

/** A timeline dot's colour: follow-ups blue, a late open to-do red, other to-dos by their state. */
export function timelineColor(item: CustomerTimelineItem): string {
  if (item.kind === 'followup') return 'blue';
  if (item.kind !== 'todo') return 'gray';
  if (item.todo.status === 'open') return item.todo.overdue ? 'red' : 'orange';
  return item.todo.status === 'done' ? 'green' : 'gray';
}

type ValueFormat = Pick<Formatters, 'money' | 'percent' | 'date' | 'dateTime'>;

/** A stored value as its field's type shows it: options by label, money and dates as lenders read them. */
function valueText(field: EntityField | undefined, value: unknown, language: string, format: ValueFormat): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map((v) => valueText(field, v, language, format)).join(i18n.t('timeline.listSeparator', { lng: language }));
  if (field?.options && field.options.length > 0) return optionLabel(field, value, language);
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  switch (field?.type) {
    case 'money':
      return format.money(text);
    case 'percent':
      return format.percent(text);
    case 'date':
      return format.date(text);
    case 'datetime':
      return format.dateTime(text);
    case 'boolean':
      return i18n.t(value === true || text === 'true' ? 'common.yes' : 'common.no', { lng: language });
    default:
      return text;
  }
}

/**
 * One change as "风险等级：低 → 高": the field's label, and for each side the server's name for an
 * id or code (an account manager's name for owner_id) when it gives one, else the value as its
 * field's type shows it.
 */
export function describeChange(change: TimelineChange, entity: Entity, language: string, format: ValueFormat): string {
  const field = entity.fields.find((f) => f.name === change.field);
  return i18n.t('timeline.change', {
    lng: language,
    field: field ? localized(field.label, language) : change.field,
    before: change.before_display ?? valueText(field, change.before, language, format),
    after: change.after_display ?? valueText(field, change.after, language, format),
  });
}

const given = (v: string | undefined): string | undefined => v?.trim() || undefined;

/**
 * What the add-relation dialog sends: an existing customer or a person (name, phone, ID number),
 * a share only for a shareholder, empty texts left out.
 */
export function toRelationInput(v: RelationForm): RelationInput {
  const common = { role: v.role, share_percent: v.role === SHAREHOLDER ? given(v.share_percent) : undefined, note: given(v.note) };
  return v.mode === 'customer'
    ? { ...common, related_customer_id: v.related_customer_id }
    : { ...common, person_name: given(v.person_name), person_phone: given(v.person_phone), person_id_number: given(v.person_id_number) };
}
