// The shapes of issue 13's additions to the API (/work/i13-contract.md), declared by hand until
// the server's openapi.json carries them and `npm run gen:api` makes them part of schema.d.ts;
// then these give way to the generated types in ./types.ts. Each mirrors the contract: names,
// nesting and optionality as the contract states them.
import type { AuditEvent, Customer, Department, Entity, EntityField, FieldOption, LocalizedName, Page, Relation, Session, TimelineItem } from './types';

/** GET /api/v1/users/assignable: a user one may hand customers to. [AssignableUser] */
export interface AssignableUser {
  id: number;
  username: string;
  display_name: string;
  department: { id: number; name: string; path_names: string };
  roles: { key: string; name: string }[];
}

export interface AssignableUserList {
  items: AssignableUser[];
}

/** GET /api/v1/departments items gain the names along their path ("总部 / 华东分部"). */
export type NamedDepartment = Department & { path_names: string };

/** GET /api/v1/auth/me gains the configured business zone ("+08:00"). */
export type SessionWithZone = Session & { time_zone: string };

/** One entry of a timeline change item's `changes`, with names for ids and codes when the server has them. */
export interface TimelineChange {
  field: string;
  before?: unknown;
  after?: unknown;
  before_display?: string;
  after_display?: string;
}

/** A timeline item: change items gain `action_label`, relation adds and removes a `summary`. */
export type NamedTimelineItem = Omit<TimelineItem, 'changes'> & {
  action_label?: string;
  summary?: string;
  changes?: TimelineChange[];
};

/** GET /api/v1/audit-events items gain localised names for the action and the object. */
export type NamedAuditEvent = AuditEvent & { action_label: string; object_label?: string };

/** GET /api/v1/audit-actions. [AuditActionInfo] */
export interface AuditActionInfo {
  key: string;
  label: string;
}

export interface AuditActionList {
  items: AuditActionInfo[];
}

/** Problem extensions of a 409 on a duplicate ID number or credit code. */
export interface DuplicateExtensions {
  existing_id: number;
  existing_name: string;
  existing_owner_name: string;
  may_open: boolean;
}

/** GET /api/v1/workbench. [Workbench] */
export interface Workbench {
  my_customers: number;
  followups_due_today: number;
  followups_overdue: number;
  new_customers_this_month: number;
  business_date: string;
}

/** Customer list items gain the phone to show (individual: phone; enterprise: contact phone or phone), masked. */
export type ListedCustomer = Customer & { display_phone?: string | null };

/** GET /api/v1/customers gains the count of matching customers in the caller's scope. */
export type CustomerPage = Page<ListedCustomer> & { total: number };

/** Relations show a related person's ID number, masked. */
export type NamedRelation = Omit<Relation, 'counterpart'> & {
  counterpart: Relation['counterpart'] & { id_number?: string };
};

/** Field JSON gains `archived`: archived fields keep their data but leave forms and lists. */
export type WorkspaceField = EntityField & { archived: boolean };
export type WorkspaceEntity = Omit<Entity, 'fields'> & { fields: WorkspaceField[] };

/** PATCH /api/v1/entities/{key}/fields/{field}: a built-in field takes `label` only. */
export interface FieldPatch {
  label?: LocalizedName;
  options?: FieldOption[];
  required?: boolean;
  max_length?: number | null;
  archived?: boolean;
}

/** DELETE /api/v1/customers/{id} body: why the customer is removed (2..200 characters). */
export interface CustomerDeletion {
  reason: string;
}
